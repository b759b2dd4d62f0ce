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
        bool gray = options.GrayscalePhoto;
        var result = new Image(photo.Width, photo.Height, 3);
        byte[] source = photo.Pixels, output = result.Pixels;
        float[] values = map.Values;
        int channels = photo.Channels;

        Parallelism.For(photo.Height, (start, end) =>
        {
            for (int i = start * photo.Width, last = end * photo.Width; i < last; i++)
            {
                int s = i * channels;
                float r, g, b;
                if (channels < 3)
                {
                    r = g = b = source[s];
                }
                else
                {
                    r = source[s];
                    g = source[s + 1];
                    b = source[s + 2];
                    if (gray) r = g = b = (r + g + b) * (1f / 3f);
                }
                float value = values[i];
                // NaN gets the map's bad colour at full opacity: a broken attribution should be visible.
                float alpha = float.IsNaN(value) ? 1f : byMagnitude ? opacity * MathF.Min(MathF.Abs(value), 1f) : opacity;
                var (hr, hg, hb) = colormap.Map(Heatmap.ColorPosition(value, centred));
                float keep = 1f - alpha;
                int o = i * 3;
                output[o] = Resampling.ToByte(keep * r + alpha * hr);
                output[o + 1] = Resampling.ToByte(keep * g + alpha * hg);
                output[o + 2] = Resampling.ToByte(keep * b + alpha * hb);
            }
        }, costPerItem: photo.Width * 20.0);
        return result;
    }

    private static void CheckOpacity(float opacity, string name)
    {
        if (!(opacity >= 0f && opacity <= 1f))
            throw new InvalidOptionException($"overlay {name} must be between 0 and 1, got {opacity}");
    }
}
