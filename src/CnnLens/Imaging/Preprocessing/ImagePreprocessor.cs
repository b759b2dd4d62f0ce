using CnnLens.Imaging.Codecs;
using CnnLens.Tensors;

namespace CnnLens.Imaging.Preprocessing;

/// <summary>
/// Turns images into model input tensors [1, C, H, W] exactly as the equivalent PIL + torchvision
/// pipeline does (same bytes after resize/crop, same float32 arithmetic for scaling and normalising).
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>
    /// Decodes <paramref name="path"/> as PIL would (<see cref="DecodeOptions.MatchPil"/>: EXIF
    /// orientation not applied, like torchvision) and preprocesses it.
    /// </summary>
    public static Tensor LoadTensor(string path, PreprocessingOptions options) =>
        ToTensor(ImageDecoder.DecodeFile(path, DecodeOptions.MatchPil), options);

    /// <summary>The colour-converted, resized and cropped image the tensor is made from (for overlays).</summary>
    public static Image Prepare(Image image, PreprocessingOptions options)
    {
        options.Validate();
        var current = options.Grayscale ? PilColorConversion.ToGray(image) : PilColorConversion.ToRgb(image);
        if (options.ResizeExact is { } exact)
            current = PilBilinearResize.Resize(current, exact.Width, exact.Height);
        else if (options.ResizeShorterSide is { } side)
        {
            var (w, h) = TorchvisionGeometry.ShorterSideSize(current.Width, current.Height, side);
            current = PilBilinearResize.Resize(current, w, h);
        }
        if (options.Crop is { } crop) current = TorchvisionGeometry.CenterCrop(current, crop, crop);
        return current;
    }

    public static Tensor ToTensor(Image image, PreprocessingOptions options) => ToTensorPrepared(Prepare(image, options), options);

    /// <summary>ToTensor + Normalize of an image that is already colour-converted, resized and cropped.</summary>
    public static Tensor ToTensorPrepared(Image prepared, PreprocessingOptions options)
    {
        int channels = options.Channels;
        if (prepared.Channels != channels)
            throw new ShapeMismatchException($"prepared image has {prepared.Channels} channels but the options need {channels}");
        int h = prepared.Height, w = prepared.Width, plane = h * w;
        var tensor = new Tensor(1, channels, h, w);
        var data = tensor.Data;
        var pixels = prepared.Pixels;
        // A 256-entry table per channel keeps torchvision's exact float32 steps: (x / 255 [* scale] - mean) / std.
        Span<float> table = stackalloc float[256];
        for (int c = 0; c < channels; c++)
        {
            int source = options.Bgr ? channels - 1 - c : c;
            float mean = options.Mean[options.Mean.Length == 1 ? 0 : c];
            float std = options.Std[options.Std.Length == 1 ? 0 : c];
            for (int v = 0; v < 256; v++)
            {
                float x = v / 255f;
                if (options.Scale != 1f) x = options.Scale == 255f ? v : x * options.Scale;
                table[v] = (x - mean) / std;
            }
            var output = data.AsSpan(c * plane, plane);
            for (int i = 0; i < plane; i++) output[i] = table[pixels[i * channels + source]];
        }
        return tensor;
    }
}
