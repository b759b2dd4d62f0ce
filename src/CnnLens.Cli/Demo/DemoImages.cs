using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Cli.Demo;

/// <summary>Converts the demo's raw greyscale tensors ([1,H,W] or [N,1,H,W], values in [0,1]) to pictures and batches.</summary>
public static class DemoImages
{
    public static Image Gray(Tensor raw, int index = 0)
    {
        int height = raw.Dim(-2), width = raw.Dim(-1), plane = height * width;
        var image = new Image(width, height, 1);
        for (int i = 0; i < plane; i++)
            image.Pixels[i] = (byte)Math.Round(Math.Clamp(raw.Data[index * plane + i], 0f, 1f) * 255);
        return image;
    }

    /// <summary>
    /// Image <paramref name="index"/> enlarged 4x with hard pixel edges: the picture the report explains,
    /// so 28x28 heatmaps and overlays stay readable in the PNGs (the report's heatmaps are drawn at this size).
    /// </summary>
    public static Image Picture(Tensor raw, int index = 0)
    {
        var gray = Gray(raw, index);
        return Resampling.Resize(gray, gray.Width * PictureScale, gray.Height * PictureScale, ResizeFilter.Nearest);
    }

    public const int PictureScale = 4;

    /// <summary>Stacks [1,H,W] images into a batch [N,1,H,W].</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> images) =>
        Batch.Concat(images.Select(i => i.Reshape([1, .. i.ShapeArray])).ToArray());
}
