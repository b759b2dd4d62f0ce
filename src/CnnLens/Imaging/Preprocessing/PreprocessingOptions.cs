using System.Globalization;

namespace CnnLens.Imaging.Preprocessing;

/// <summary>
/// How an image becomes a model input, mirroring a torchvision pipeline:
/// <c>convert("RGB"|"L")</c> → <c>Resize</c> (PIL bilinear, antialiased) → <c>CenterCrop</c> →
/// <c>ToTensor</c> (÷255, times <see cref="Scale"/>) → <c>Normalize(Mean, Std)</c> → optional BGR order.
/// Images must be decoded with <see cref="Codecs.DecodeOptions.MatchPil"/> (no EXIF rotation) for
/// the tensor to equal torchvision's.
/// </summary>
public sealed record PreprocessingOptions
{
    /// <summary>ImageNet classifiers: RGB, shorter side 256, centre crop 224, ImageNet mean/std.</summary>
    public static PreprocessingOptions Imagenet { get; } = new()
    {
        ResizeShorterSide = 256,
        Crop = 224,
        Mean = [0.485f, 0.456f, 0.406f],
        Std = [0.229f, 0.224f, 0.225f],
    };

    /// <summary>MNIST digit classifiers: grayscale, 28x28, MNIST mean/std.</summary>
    public static PreprocessingOptions Mnist { get; } = new()
    {
        Grayscale = true,
        ResizeShorterSide = 28,
        Crop = 28,
        Mean = [0.1307f],
        Std = [0.3081f],
    };

    /// <summary>One channel (PIL <c>convert("L")</c>) instead of three.</summary>
    public bool Grayscale { get; init; }

    /// <summary>torchvision <c>Resize(n)</c>: shorter side to n, aspect kept. Ignored when <see cref="ResizeExact"/> is set.</summary>
    public int? ResizeShorterSide { get; init; }

    /// <summary>torchvision <c>Resize((h, w))</c>: this exact size, aspect not kept.</summary>
    public (int Width, int Height)? ResizeExact { get; init; }

    /// <summary>torchvision <c>CenterCrop(n)</c>: a centred n x n square (zero-padded when the image is smaller).</summary>
    public int? Crop { get; init; }

    /// <summary>Per-channel mean subtracted after scaling (one value, or one per output channel in output order).</summary>
    public float[] Mean { get; init; } = [0f];

    /// <summary>Per-channel standard deviation divided by after subtracting <see cref="Mean"/>.</summary>
    public float[] Std { get; init; } = [1f];

    /// <summary>Channel order B, G, R (Caffe-style models); <see cref="Mean"/>/<see cref="Std"/> are then given in BGR order.</summary>
    public bool Bgr { get; init; }

    /// <summary>Value of a 255 pixel before normalising: 1 gives ToTensor's 0..1, 255 gives raw 0..255.</summary>
    public float Scale { get; init; } = 1f;

    public int Channels => Grayscale ? 1 : 3;

    /// <summary>Throws <see cref="InvalidOptionException"/> when the options cannot work.</summary>
    public void Validate()
    {
        if (ResizeShorterSide is <= 0) throw new InvalidOptionException($"resize size must be positive, got {ResizeShorterSide}");
        if (ResizeExact is { } r && (r.Width <= 0 || r.Height <= 0)) throw new InvalidOptionException($"resize size {r.Width}x{r.Height} must be positive");
        if (Crop is <= 0) throw new InvalidOptionException($"crop size must be positive, got {Crop}");
        if (Mean.Length != 1 && Mean.Length != Channels) throw new InvalidOptionException($"--mean needs 1 or {Channels} values, got {Mean.Length}");
        if (Std.Length != 1 && Std.Length != Channels) throw new InvalidOptionException($"--std needs 1 or {Channels} values, got {Std.Length}");
        if (Std.Any(s => !(s != 0 && float.IsFinite(s)))) throw new InvalidOptionException("--std values must be finite and non-zero");
        if (!(Scale > 0 && float.IsFinite(Scale))) throw new InvalidOptionException($"scale must be a positive number, got {Scale}");
        if (Grayscale && Bgr) throw new InvalidOptionException("--bgr makes no sense with --grayscale; use one of them");
    }

    /// <summary>One line for reports, e.g. "RGB, shorter side → 256 (PIL bilinear, antialiased), centre crop 224x224, ...".</summary>
    public string Describe()
    {
        static string List(float[] v) => "[" + string.Join(", ", v.Select(x => x.ToString("0.####", CultureInfo.InvariantCulture))) + "]";
        var parts = new List<string> { Grayscale ? "grayscale (PIL convert(\"L\"))" : Bgr ? "BGR (from PIL convert(\"RGB\"))" : "RGB (PIL convert(\"RGB\"))" };
        if (ResizeExact is { } r) parts.Add($"resize to {r.Width}x{r.Height} (PIL bilinear, antialiased)");
        else if (ResizeShorterSide is { } s) parts.Add($"shorter side resized to {s} (PIL bilinear, antialiased)");
        if (Crop is { } c) parts.Add($"centre crop {c}x{c}");
        parts.Add(Scale == 1f ? "pixels / 255" : $"pixels / 255 x {Scale.ToString("0.####", CultureInfo.InvariantCulture)}");
        parts.Add($"normalised with mean {List(Mean)} and std {List(Std)}");
        parts.Add("no EXIF rotation (as PIL/torchvision)");
        return string.Join(", ", parts);
    }
}
