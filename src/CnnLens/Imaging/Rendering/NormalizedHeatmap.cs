namespace CnnLens.Imaging.Rendering;

/// <summary>
/// A heatmap ready for colouring: one value per pixel, the attribution divided by the scale and
/// clipped to [-1, 1], keeping its sign (the negative view holds values in [-1, 0]; the positive
/// and absolute views in [0, 1]). NaN stays NaN.
/// </summary>
public sealed class NormalizedHeatmap
{
    public NormalizedHeatmap(int width, int height, float[] values, float scale, HeatmapView view)
    {
        if (width <= 0 || height <= 0) throw new ShapeMismatchException($"heatmap size {width}x{height} must be positive");
        if (values.Length != (long)width * height)
            throw new ShapeMismatchException($"heatmap {width}x{height} needs {(long)width * height} values, got {values.Length}");
        Width = width;
        Height = height;
        Values = values;
        Scale = scale;
        View = view;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Normalised values, row-major.</summary>
    public float[] Values { get; }

    /// <summary>The attribution value shown at full colour (|value| at or beyond it saturates).</summary>
    public float Scale { get; }

    public HeatmapView View { get; }

    /// <summary>Attribution value at the low end of the colour range (−s for signed and negative views, else 0).</summary>
    public float MinimumValue => View is HeatmapView.Signed or HeatmapView.Negative ? -Scale : 0f;

    /// <summary>Attribution value at the high end of the colour range (0 for the negative view, else s).</summary>
    public float MaximumValue => View == HeatmapView.Negative ? 0f : Scale;

    public float this[int x, int y] => Values[y * Width + x];
}
