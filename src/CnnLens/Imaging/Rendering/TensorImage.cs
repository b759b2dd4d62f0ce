using CnnLens.Tensors;

namespace CnnLens.Imaging.Rendering;

/// <summary>
/// Draws raw tensors (filter weights, activations) as images by min-max normalisation:
/// the minimum becomes 0, the maximum 255, a constant range becomes 0; NaN is ignored for the range and drawn as 0.
/// </summary>
public static class TensorImage
{
    /// <summary>
    /// A [C,H,W] (or [1,C,H,W], or [H,W]) tensor with 1 or 3 channels as an RGB image; one channel is
    /// repeated as gray. Use <see cref="ChannelImages"/> for other channel counts.
    /// </summary>
    public static Image ToImage(Tensor tensor, TensorNormalization normalization = TensorNormalization.PerTensor)
    {
        var (channels, height, width) = Heatmap.PlaneShape(tensor);
        if (channels is not (1 or 3))
            throw new ShapeMismatchException(
                $"tensor {Tensor.ShapeString(tensor.Shape)} has {channels} channels; an RGB image needs 1 or 3 (draw the channels separately with ChannelImages)");
        int planeSize = height * width;
        var data = tensor.Data.AsSpan();
        var (tensorMin, tensorMax) = MinMax(data);
        var image = new Image(width, height, 3);
        for (int c = 0; c < 3; c++)
        {
            int source = channels == 1 ? 0 : c;
            var plane = data.Slice(source * planeSize, planeSize);
            var (min, max) = normalization == TensorNormalization.PerChannel ? MinMax(plane) : (tensorMin, tensorMax);
            for (int i = 0; i < planeSize; i++) image.Pixels[i * 3 + c] = Normalize(plane[i], min, max);
        }
        return image;
    }

    /// <summary>
    /// One RGB image per channel of a [C,H,W] (or [1,C,H,W]) tensor, each channel min-max normalised
    /// on its own (or all on the tensor's range) and coloured with <paramref name="colormap"/> (default gray).
    /// </summary>
    public static Image[] ChannelImages(Tensor tensor, Colormap? colormap = null, TensorNormalization normalization = TensorNormalization.PerChannel)
    {
        colormap ??= Colormaps.Gray;
        var (channels, height, width) = Heatmap.PlaneShape(tensor);
        int planeSize = height * width;
        var data = tensor.Data.AsSpan();
        var (tensorMin, tensorMax) = MinMax(data);
        var images = new Image[channels];
        for (int c = 0; c < channels; c++)
        {
            var plane = data.Slice(c * planeSize, planeSize);
            var (min, max) = normalization == TensorNormalization.PerChannel ? MinMax(plane) : (tensorMin, tensorMax);
            var image = new Image(width, height, 3);
            var pixels = image.Pixels.AsSpan();
            for (int i = 0; i < planeSize; i++)
                colormap.MapInto(Normalize(plane[i], min, max) / 255f, pixels.Slice(i * 3, 3));
            images[c] = image;
        }
        return images;
    }

    /// <summary>Smallest and largest non-NaN value; (0, 0) when there is none.</summary>
    private static (float Min, float Max) MinMax(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return min <= max ? (min, max) : (0f, 0f);
    }

    private static byte Normalize(float value, float min, float max) =>
        max > min && !float.IsNaN(value) ? Resampling.ToByte((value - min) / (max - min) * 255f) : (byte)0;
}
