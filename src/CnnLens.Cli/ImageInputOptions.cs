using System.CommandLine;
using System.Globalization;
using CnnLens.Graph;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Tensors;
using CnnLens.Training;

namespace CnnLens.Cli;

/// <summary>
/// The input options of predict and explain: <c>--input X.npy</c> (already preprocessed), or
/// <c>--image FILE|DIR ...</c> with <c>--preset imagenet|mnist</c> and/or explicit preprocessing
/// (<c>--resize --crop --mean --std --grayscale --bgr --scale</c>). Several images make a batch.
/// Without any preprocessing flag, a model's own stored preprocessing (<see cref="TrainedPreprocessing"/>) is used.
/// </summary>
public sealed class ImageInputOptions
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".jfif", ".bmp", ".pgm", ".ppm", ".pnm"];

    private readonly Option<string?> _input = CommonOptions.Input();
    private readonly Option<string[]> _image = new("--image") { Description = "image file(s) or a folder of images; several make a batch", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string?> _preset = new("--preset") { Description = "preprocessing preset: imagenet (resize 256, crop 224, ImageNet mean/std) or mnist" };
    private readonly Option<string?> _resize = new("--resize") { Description = "resize: N (shorter side, as torchvision Resize(N)) or WxH" };
    private readonly Option<int?> _crop = new("--crop") { Description = "centre crop N x N" };
    private readonly Option<string?> _mean = new("--mean") { Description = "per-channel mean, comma-separated" };
    private readonly Option<string?> _std = new("--std") { Description = "per-channel std, comma-separated" };
    private readonly Option<bool> _grayscale = new("--grayscale") { Description = "one channel (PIL convert(\"L\"))" };
    private readonly Option<bool> _bgr = new("--bgr") { Description = "channel order B,G,R" };
    private readonly Option<float?> _scale = new("--scale") { Description = "value of a 255 pixel before normalising (default 1: ToTensor's 0..1)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _input, _image, _preset, _resize, _crop, _mean, _std, _grayscale, _bgr, _scale })
            command.Add(option);
    }

    /// <summary>Only the preprocessing options (--preset --resize ...), for commands that list their own images (top-patches).</summary>
    public void AddPreprocessingTo(Command command)
    {
        foreach (var option in new Option[] { _preset, _resize, _crop, _mean, _std, _grayscale, _bgr, _scale })
            command.Add(option);
    }

    /// <summary>The preprocessing the options describe (validated), or the one stored in a trained model when no flag is given.</summary>
    public PreprocessingOptions ReadPreprocessing(ParseResult parse, Model model) => Preprocessing(parse, model);

    /// <summary>The images of <paramref name="folder"/> (sorted by name); a missing or image-less folder is an <see cref="InvalidOptionException"/>.</summary>
    public static string[] ImagesIn(string folder, string option)
    {
        if (!Directory.Exists(folder)) throw new InvalidOptionException($"{option}: folder '{folder}' does not exist");
        try
        {
            return Expand(folder).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOptionException($"{option}: cannot read folder '{folder}': {e.Message}");
        }
    }

    /// <summary>
    /// The input batch and, for images, the preprocessing used and each image as the model saw it
    /// (colour-converted, resized, cropped: what reports draw on); both null for --input.
    /// </summary>
    public (Tensor Input, PreprocessingOptions? Preprocessing, string[] Sources, Image[]? Prepared) Read(ParseResult parse, Model model)
    {
        string? npy = parse.GetValue(_input);
        var images = parse.GetValue(_image) ?? [];
        if (npy is not null && images.Length > 0) throw new InvalidOptionException("give either --input X.npy or --image FILE, not both");
        if (npy is not null) return (CommonOptions.ReadInput(npy, model), null, [npy], null);
        if (images.Length == 0) throw new InvalidOptionException("give the input with --input X.npy or --image FILE");

        var options = Preprocessing(parse, model);
        var files = images.SelectMany(Expand).ToArray();
        // Decoded as PIL does (no EXIF rotation), so the tensor equals torchvision's.
        var prepared = files.Select(f => ImagePreprocessor.Prepare(ImageDecoder.DecodeFile(f, DecodeOptions.MatchPil), options)).ToArray();
        return (Batch.Concat(prepared.Select(p => ImagePreprocessor.ToTensorPrepared(p, options)).ToArray()), options, files, prepared);
    }

    private PreprocessingOptions Preprocessing(ParseResult parse, Model model)
    {
        // A model trained by `cnnlens train` says how it wants its images; explicit flags replace that entirely.
        bool anyFlag = new Option[] { _preset, _resize, _crop, _mean, _std, _grayscale, _bgr, _scale }.Any(o => parse.GetResult(o) is { Implicit: false });
        if (!anyFlag && TrainedPreprocessing.FromMetadata(model.Onnx) is { } trained) return trained.ToOptions();
        var options = parse.GetValue(_preset) switch
        {
            null => new PreprocessingOptions(),
            "imagenet" => PreprocessingOptions.Imagenet,
            "mnist" => PreprocessingOptions.Mnist,
            var other => throw new InvalidOptionException($"unknown --preset '{other}'; use imagenet or mnist"),
        };
        if (parse.GetValue(_resize) is { } resize)
        {
            var parts = resize.Split('x');
            options = parts.Length switch
            {
                1 => options with { ResizeShorterSide = ParseInt(parts[0], "--resize"), ResizeExact = null },
                2 => options with { ResizeExact = (ParseInt(parts[0], "--resize"), ParseInt(parts[1], "--resize")) },
                _ => throw new InvalidOptionException($"--resize takes N or WxH, not '{resize}'"),
            };
        }
        if (parse.GetValue(_crop) is { } crop) options = options with { Crop = crop };
        if (parse.GetValue(_mean) is { } mean) options = options with { Mean = ParseFloats(mean, "--mean") };
        if (parse.GetValue(_std) is { } std) options = options with { Std = ParseFloats(std, "--std") };
        if (parse.GetValue(_grayscale)) options = options with { Grayscale = true };
        if (parse.GetValue(_bgr)) options = options with { Bgr = true };
        if (parse.GetValue(_scale) is { } scale) options = options with { Scale = scale };
        options.Validate();
        return options;
    }

    private static IEnumerable<string> Expand(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new InvalidOptionException($"image '{path}' does not exist");
        var files = Directory.EnumerateFiles(path)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return files.Length > 0 ? files : throw new InvalidOptionException($"folder '{path}' holds no images ({string.Join(" ", ImageExtensions)})");
    }

    private static int ParseInt(string text, string option) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v
            : throw new InvalidOptionException($"{option} needs positive whole numbers, not '{text}'");

    private static float[] ParseFloats(string text, string option) =>
        text.Split(',').Select(s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v
            : throw new InvalidOptionException($"{option} needs comma-separated numbers, not '{text}'")).ToArray();
}
