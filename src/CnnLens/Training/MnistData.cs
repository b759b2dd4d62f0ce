using System.Buffers.Binary;
using System.IO.Compression;
using CnnLens.Tensors;

namespace CnnLens.Training;

/// <summary>Which half of MNIST to read.</summary>
public enum MnistSplit
{
    Train,
    Test,
}

/// <summary>
/// Reads MNIST's IDX files (big-endian magic 0x803 for images, 0x801 for labels), plain or .gz.
/// Training files are <c>train-images-idx3-ubyte</c>/<c>train-labels-idx1-ubyte</c> (or the
/// 10,000-digit <c>train10k-</c> pair), test files <c>t10k-</c>. Pixels become 0..1 floats.
/// </summary>
public static class MnistData
{
    private static readonly string[] ClassNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    public static TrainingData Load(string directory, MnistSplit split = MnistSplit.Train)
    {
        if (!Directory.Exists(directory)) throw new InvalidOptionException($"MNIST folder '{directory}' does not exist");
        string[] prefixes = split == MnistSplit.Train ? ["train", "train10k"] : ["t10k"];
        foreach (string prefix in prefixes)
        {
            var images = Find(directory, $"{prefix}-images-idx3-ubyte");
            var labels = Find(directory, $"{prefix}-labels-idx1-ubyte");
            if (images is not null && labels is not null) return Load(images, labels);
        }
        throw new DataFormatException(
            $"folder '{directory}' holds no MNIST {split.ToString().ToLowerInvariant()} files; expected {string.Join(" or ", prefixes.Select(p => $"{p}-images-idx3-ubyte[.gz] with {p}-labels-idx1-ubyte[.gz]"))}");
    }

    /// <summary>Whether <paramref name="directory"/> holds the files of <paramref name="split"/>.</summary>
    public static bool Has(string directory, MnistSplit split) =>
        (split == MnistSplit.Train ? new[] { "train", "train10k" } : ["t10k"])
        .Any(p => Find(directory, $"{p}-images-idx3-ubyte") is not null && Find(directory, $"{p}-labels-idx1-ubyte") is not null);

    public static TrainingData Load(string imagesPath, string labelsPath)
    {
        var imageBytes = ReadAll(imagesPath);
        var labelBytes = ReadAll(labelsPath);
        if (imageBytes.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(imageBytes) != 0x803)
            throw new DataFormatException($"'{imagesPath}' is not an IDX image file (magic 0x00000803)");
        if (labelBytes.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(labelBytes) != 0x801)
            throw new DataFormatException($"'{labelsPath}' is not an IDX label file (magic 0x00000801)");
        int count = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(12));
        int labelCount = BinaryPrimitives.ReadInt32BigEndian(labelBytes.AsSpan(4));
        if (count < 0 || rows <= 0 || columns <= 0 || 16L + (long)count * rows * columns > imageBytes.Length)
            throw new DataFormatException($"'{imagesPath}' is truncated or has an invalid header ({count} images of {rows}x{columns})");
        if (labelCount != count || 8L + labelCount > labelBytes.Length)
            throw new DataFormatException($"'{labelsPath}' holds {labelCount} labels for {count} images, or is truncated");

        var images = new Tensor(count, 1, rows, columns);
        for (int i = 0; i < images.Length; i++) images.Data[i] = imageBytes[16 + i] / 255f;
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = labelBytes[8 + i];
            if (labels[i] > 9) throw new DataFormatException($"'{labelsPath}' has label {labels[i]} at {i}; MNIST labels are 0..9");
        }
        return new TrainingData(images, labels, ClassNames);
    }

    private static string? Find(string directory, string name) =>
        new[] { name, name + ".gz" }.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);

    private static byte[] ReadAll(string path)
    {
        try
        {
            if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return File.ReadAllBytes(path);
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"'{path}' is not a valid gzip file: {e.Message}", e);
        }
    }
}
