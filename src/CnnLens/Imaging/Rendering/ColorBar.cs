namespace CnnLens.Imaging.Rendering;

/// <summary>
/// A strip showing a colormap with ticks at the minimum, zero (when inside the range) and maximum.
/// Labels are left to the HTML report: <see cref="Ticks"/> gives each value and its pixel position.
/// </summary>
public sealed class ColorBar
{
    private ColorBar(Image image, IReadOnlyList<ColorBarTick> ticks, float minimum, float maximum)
    {
        Image = image;
        Ticks = ticks;
        Minimum = minimum;
        Maximum = maximum;
    }

    public Image Image { get; }

    public IReadOnlyList<ColorBarTick> Ticks { get; }

    /// <summary>Value at the low end (bottom or left).</summary>
    public float Minimum { get; }

    /// <summary>Value at the high end (top or right).</summary>
    public float Maximum { get; }

    /// <summary>The whole of <paramref name="colormap"/> spread linearly over [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static ColorBar Render(Colormap colormap, float minimum, float maximum, ColorBarOptions? options = null)
    {
        if (!(maximum > minimum) || !float.IsFinite(minimum) || !float.IsFinite(maximum))
            throw new InvalidOptionException($"colour bar range [{minimum}, {maximum}] must be finite with minimum below maximum");
        float span = maximum - minimum;
        return Draw(colormap, minimum, maximum, value => (value - minimum) / span, options ?? new ColorBarOptions());
    }

    /// <summary>
    /// The legend of a rendered heatmap: the attribution values from <see cref="NormalizedHeatmap.MinimumValue"/>
    /// to <see cref="NormalizedHeatmap.MaximumValue"/> with exactly the colours <see cref="Heatmap.Colorize"/> gives them.
    /// </summary>
    public static ColorBar For(NormalizedHeatmap map, Colormap colormap, ColorBarOptions? options = null)
    {
        // A zero scale (all-zero map) still gets a readable unit bar.
        float scale = map.Scale > 0f && float.IsFinite(map.Scale) ? map.Scale : 1f;
        float minimum = map.View is HeatmapView.Signed or HeatmapView.Negative ? -scale : 0f;
        float maximum = map.View == HeatmapView.Negative ? 0f : scale;
        bool centred = Heatmap.IsCentred(map.View, colormap);
        return Draw(colormap, minimum, maximum, value => Heatmap.ColorPosition(value / scale, centred), options ?? new ColorBarOptions());
    }

    private static ColorBar Draw(Colormap colormap, float minimum, float maximum, Func<float, float> positionOf, ColorBarOptions options)
    {
        if (options.Length < 2 || options.Thickness < 1)
            throw new InvalidOptionException($"colour bar needs length >= 2 and thickness >= 1, got {options.Length} and {options.Thickness}");
        bool vertical = options.Orientation == ColorBarOrientation.Vertical;
        int length = options.Length;
        var image = vertical ? new Image(options.Thickness, length, 3) : new Image(length, options.Thickness, 3);

        for (int step = 0; step < length; step++)
        {
            // Step 0 is the minimum, step length-1 the maximum, so both end colours appear.
            float value = minimum + (maximum - minimum) * step / (length - 1);
            var colour = colormap.Map(positionOf(value));
            PaintAcross(image, vertical, AlongPosition(step, length, vertical), new Rgb(colour.R, colour.G, colour.B));
        }

        var ticks = new List<ColorBarTick> { Tick(minimum, minimum, maximum, length, vertical) };
        if (minimum < 0f && maximum > 0f) ticks.Add(Tick(0f, minimum, maximum, length, vertical));
        ticks.Add(Tick(maximum, minimum, maximum, length, vertical));
        if (options.DrawTicks)
            foreach (var tick in ticks) PaintAcross(image, vertical, tick.Position, options.TickColor);
        return new ColorBar(image, ticks, minimum, maximum);
    }

    private static ColorBarTick Tick(float value, float minimum, float maximum, int length, bool vertical)
    {
        int step = (int)Math.Round((double)(value - minimum) / (maximum - minimum) * (length - 1), MidpointRounding.AwayFromZero);
        return new ColorBarTick(value, AlongPosition(step, length, vertical));
    }

    /// <summary>Pixel offset of a step from the minimum: vertical bars grow upwards.</summary>
    private static int AlongPosition(int step, int length, bool vertical) => vertical ? length - 1 - step : step;

    private static void PaintAcross(Image image, bool vertical, int position, Rgb colour)
    {
        int across = vertical ? image.Width : image.Height;
        for (int k = 0; k < across; k++)
        {
            int x = vertical ? k : position, y = vertical ? position : k;
            image[x, y, 0] = colour.R;
            image[x, y, 1] = colour.G;
            image[x, y, 2] = colour.B;
        }
    }
}
