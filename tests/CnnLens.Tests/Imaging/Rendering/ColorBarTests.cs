using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Tests.Imaging.Rendering;

public class ColorBarTests
{
    private static Rgb At(Image image, int x, int y) => new(image[x, y, 0], image[x, y, 1], image[x, y, 2]);

    [Fact]
    public void Vertical_signed_bar_has_maximum_on_top_and_ticks_at_min_zero_max()
    {
        var bar = ColorBar.Render(Colormaps.BlueWhiteRed, -2f, 2f, new ColorBarOptions { Length = 11, Thickness = 3, DrawTicks = false });
        Assert.Equal((3, 11), (bar.Image.Width, bar.Image.Height));
        Assert.Equal(Colormaps.BlueWhiteRed[255], At(bar.Image, 0, 0));
        Assert.Equal(Colormaps.BlueWhiteRed[0], At(bar.Image, 2, 10));
        // Row 5 is step 5 of 10: t = 0.5 -> entry 128; row 3 is step 7: t = 0.7 -> floor(179.2) = 179.
        Assert.Equal(Colormaps.BlueWhiteRed[128], At(bar.Image, 1, 5));
        Assert.Equal(Colormaps.BlueWhiteRed[179], At(bar.Image, 1, 3));
        Assert.Equal(new[] { new ColorBarTick(-2f, 10), new ColorBarTick(0f, 5), new ColorBarTick(2f, 0) }, bar.Ticks);
        Assert.Equal((-2f, 2f), (bar.Minimum, bar.Maximum));
    }

    [Fact]
    public void Tick_lines_are_drawn_across_the_bar()
    {
        var bar = ColorBar.Render(Colormaps.Viridis, -1f, 3f, new ColorBarOptions { Length = 9, Thickness = 4, TickColor = new Rgb(1, 2, 3) });
        // Zero sits a quarter of the way up: step 2 of 8 -> row 6.
        Assert.Equal(new[] { 8, 6, 0 }, bar.Ticks.Select(t => t.Position));
        foreach (int row in new[] { 0, 6, 8 })
            for (int x = 0; x < 4; x++) Assert.Equal(new Rgb(1, 2, 3), At(bar.Image, x, row));
        Assert.Equal(Colormaps.Viridis[Colormap.IndexOf(5f / 8f)], At(bar.Image, 2, 3));
    }

    [Fact]
    public void Horizontal_sequential_bar_runs_left_to_right_without_zero_tick()
    {
        var bar = ColorBar.Render(Colormaps.Magma, 0f, 2f, new ColorBarOptions
        {
            Orientation = ColorBarOrientation.Horizontal, Length = 5, Thickness = 2, DrawTicks = false,
        });
        Assert.Equal((5, 2), (bar.Image.Width, bar.Image.Height));
        Assert.Equal(Colormaps.Magma[0], At(bar.Image, 0, 1));
        Assert.Equal(Colormaps.Magma[64], At(bar.Image, 1, 0));
        Assert.Equal(Colormaps.Magma[255], At(bar.Image, 4, 1));
        Assert.Equal(new[] { new ColorBarTick(0f, 0), new ColorBarTick(2f, 4) }, bar.Ticks);
    }

    [Fact]
    public void Bar_for_a_heatmap_uses_the_heatmap_colours_and_range()
    {
        var map = Heatmap.Normalize(Tensor.FromValues([1, 2], 0f, 3f), new HeatmapOptions { View = HeatmapView.Positive, Scaling = HeatmapScaling.Maximum });
        // Positive view on a diverging map: only the upper half, white (entry 128) at 0 to red at 3.
        var bar = ColorBar.For(map, Colormaps.BlueWhiteRed, new ColorBarOptions { Length = 3, DrawTicks = false });
        Assert.Equal(Colormaps.BlueWhiteRed[128], At(bar.Image, 0, 2));
        Assert.Equal(Colormaps.BlueWhiteRed[192], At(bar.Image, 0, 1));
        Assert.Equal(Colormaps.BlueWhiteRed[255], At(bar.Image, 0, 0));
        Assert.Equal(new[] { new ColorBarTick(0f, 2), new ColorBarTick(3f, 0) }, bar.Ticks);

        var negative = Heatmap.Normalize(Tensor.FromValues([1, 2], -4f, 1f), new HeatmapOptions { View = HeatmapView.Negative, Scaling = HeatmapScaling.Maximum });
        var negativeBar = ColorBar.For(negative, Colormaps.Inferno, new ColorBarOptions { Length = 3, DrawTicks = false });
        Assert.Equal((-4f, 0f), (negativeBar.Minimum, negativeBar.Maximum));
        Assert.Equal(Colormaps.Inferno[255], At(negativeBar.Image, 0, 2));
        Assert.Equal(Colormaps.Inferno[0], At(negativeBar.Image, 0, 0));
    }

    [Fact]
    public void Empty_or_inverted_ranges_are_rejected()
    {
        Assert.Throws<InvalidOptionException>(() => ColorBar.Render(Colormaps.Gray, 1f, 1f));
        Assert.Throws<InvalidOptionException>(() => ColorBar.Render(Colormaps.Gray, 2f, 1f));
        Assert.Throws<InvalidOptionException>(() => ColorBar.Render(Colormaps.Gray, 0f, 1f, new ColorBarOptions { Length = 1 }));
    }
}
