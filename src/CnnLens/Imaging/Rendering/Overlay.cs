using CnnLens.Tensors;

namespace CnnLens.Imaging.Rendering;

/// <summary>Blends a heatmap over the input photo so the evidence can be seen in place.</summary>
public static class Overlay
{
    /// <summary>
    /// Normalises <paramref name="attribution"/> at the photo's size (CAM maps are upsampled) and
    /// blends it over <paramref name="photo"/>. Returns a new RGB image.
    /// </summary>
    public static Image Render(Image photo, Tensor attribution, HeatmapOptions? heatmap = null, OverlayOptions? overlay = null)
    {
        heatmap ??= new HeatmapOptions();
        var map = Heatmap.Normalize(attribution, heatmap with { Width = photo.Width, Height = photo.Height });
        return Blend(photo, map, heatmap.ResolvedColormap, overlay);
    }

    /// <summary>
    /// Blends <paramref name="map"/> coloured with <paramref name="colormap"/> over <paramref name="photo"/>
    /// (gray, gray+alpha, RGB or RGBA; any alpha channel is ignored). Sizes must match.
    /// </summary>
    public static Image Blend(Image photo, NormalizedHeatmap map, Colormap colormap, OverlayOptions? options = null)
    {
        options ??= new OverlayOptions();
        if (photo.Width != map.Width || photo.Height != map.Height)
            throw new ShapeMismatchException(
                $"heatmap {map.Width}x{map.Height} does not match photo {photo.Width}x{photo.Height}; normalise it with Width/Height set to the photo's size");
        CheckOpacity(options.ConstantOpacity, nameof(options.ConstantOpacity));
        CheckOpacity(options.PeakOpacity, nameof(options.PeakOpacity));

        bool byMagnitude = options.Alpha switch
        {
            OverlayAlpha.Auto => colormap.IsDiverging,
            OverlayAlpha.Constant => false,
            OverlayAlpha.ScaledByMagnitude => true,
            _ => throw new InvalidOptionException($"unknown overlay alpha mode {options.Alpha}; use Auto, Constant or ScaledByMagnitude"),
        };
        float opacity = byMagnitude ? options.PeakOpacity : options.ConstantOpacity;
        bool centred = Heatmap.IsCentred(map.View, colormap);
        var result = new Image(photo.Width, photo.Height, 3);
        var blend = new OverlayBlending.Settings(colormap, centred, byMagnitude, opacity, options.GrayscalePhoto, photo.Channels);
        byte[] source = photo.Pixels, output = result.Pixels;
        float[] values = map.Values;
        int width = photo.Width, channels = photo.Channels;
        Parallelism.For(photo.Height, (start, end) =>
        {
            int first = start * width, count = (end - start) * width;
            OverlayBlending.BlendRange(source.AsSpan(first * channels, count * channels), values.AsSpan(first, count), output.AsSpan(first * 3, count * 3), blend);
        }, costPerItem: width * 20.0);
        return result;
    }

    private static void CheckOpacity(float opacity, string name)
    {
        if (!(opacity >= 0f && opacity <= 1f))
            throw new InvalidOptionException($"overlay {name} must be between 0 and 1, got {opacity}");
    }
}
