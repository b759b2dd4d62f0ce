using System.Globalization;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Cli.Commands.Visualize;

/// <summary>What maximize and deep-dream share: writing 0..1 images as a PNG row and .npy, and parsing lists.</summary>
internal static class MaximizationOutput
{
    private const int Gap = 2;

    /// <summary>The images [N,C,H,W] (values 0..1, 1 or 3 channels) side by side with a small white gap, as one PNG.</summary>
    public static void WritePng(Tensor images, string path)
    {
        int batch = images.Dim(0), channels = images.Dim(1), height = images.Dim(2), width = images.Dim(3);
        if (channels is not (1 or 3)) throw new ShapeMismatchException($"images with {channels} channels cannot be drawn; use --npy");
        int plane = height * width;
        var picture = new Image(batch * width + (batch - 1) * Gap, height, 3);
        Array.Fill(picture.Pixels, (byte)255);
        for (int n = 0; n < batch; n++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < 3; c++)
                    {
                        float v = images.Data[(n * channels + (channels == 1 ? 0 : c)) * plane + y * width + x];
                        picture.Pixels[(y * picture.Width + n * (width + Gap) + x) * 3 + c] = (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255);
                    }
        AtomicFile.WriteAllBytes(path, "PNG image", PngEncoder.Encode(picture));
    }

    /// <summary>The images as .npy: [C,H,W] for one image, else [N,C,H,W].</summary>
    public static void WriteNpy(Tensor images, string path) =>
        NpyFile.Write(path, images.Dim(0) == 1 ? images.Reshape(images.ShapeArray[1..]) : images);

    public static float[]? ParseFloats(string? text, string option) =>
        text?.Split(',').Select(s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v
            : throw new InvalidOptionException($"{option} needs comma-separated numbers, not '{text}'")).ToArray();

    public static void CheckOutputs(string png, string? npy)
    {
        AtomicFile.CheckFolder(png, "--png");
        if (npy is not null) AtomicFile.CheckFolder(npy, "--npy");
    }
}
