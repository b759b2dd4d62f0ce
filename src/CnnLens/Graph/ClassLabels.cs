using System.Reflection;
using System.Text.Json;
using CnnLens.Onnx;

namespace CnnLens.Graph;

/// <summary>
/// Class names for a model's outputs: the model's own metadata (key <see cref="MetadataKey"/>, a JSON
/// array, as CnnLens-trained models carry), else the ImageNet-1k names for a 1000-class output.
/// </summary>
public static class ClassLabels
{
    public const string MetadataKey = "cnnlens.class_names";

    private static readonly Lazy<string[]> ImageNetNames = new(LoadImageNet);

    /// <summary>The 1000 ImageNet-1k class names in index order (torchvision's names).</summary>
    public static IReadOnlyList<string> ImageNet => ImageNetNames.Value;

    public static IReadOnlyList<string>? FromMetadata(OnnxModel model)
    {
        if (!model.Metadata.TryGetValue(MetadataKey, out var json)) return null;
        try
        {
            return JsonSerializer.Deserialize<string[]>(json);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"model metadata '{MetadataKey}' is not a JSON array of strings: {e.Message}", e);
        }
    }

    /// <summary>Reads a label file: one class name per line, in index order.</summary>
    public static string[] ReadLabelFile(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException($"label file '{path}' does not exist");
        var lines = File.ReadAllLines(path);
        int count = lines.Length;
        while (count > 0 && lines[count - 1].Trim().Length == 0) count--;
        if (count == 0) throw new DataFormatException($"label file '{path}' is empty; write one class name per line");
        return lines.Take(count).Select(l => l.Trim()).ToArray();
    }

    private static string[] LoadImageNet()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CnnLens.Resources.imagenet_classes.txt")
            ?? throw new InvalidOperationException("the built-in ImageNet class list is missing from the assembly");
        using var reader = new StreamReader(stream);
        var names = reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        if (names.Length != 1000) throw new InvalidOperationException($"the built-in ImageNet class list has {names.Length} names, not 1000");
        return names;
    }
}
