using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Tests.Imaging.Rendering;

public class HeatmapTests
{
    // Two channels of a 2x2 map: c0 = [1, -2, 3, -4], c1 = [2, 2, -1, -1].
    private static Tensor TwoChannels() => Tensor.FromValues([2, 2, 2], 1, -2, 3, -4, 2, 2, -1, -1);

    private static Rgb ColourAt(CnnLens.Imaging.Image image, int x, int y) => new(image[x, y, 0], image[x, y, 1], image[x, y, 2]);

    [Fact]
    public void Channel_aggregations_match_hand_computed_values()
    {
        var data = TwoChannels().Data;
        Assert.Equal(new[] { 3f, 0f, 2f, -5f }, Heatmap.AggregateChannels(data, 2, 4, ChannelAggregation.Sum));
        Assert.Equal(new[] { 3f, 4f, 4f, 5f }, Heatmap.AggregateChannels(data, 2, 4, ChannelAggregation.SumOfAbsolute));
        var l2 = Heatmap.AggregateChannels(data, 2, 4, ChannelAggregation.L2Norm);
        float[] expected = [MathF.Sqrt(5), MathF.Sqrt(8), MathF.Sqrt(10), MathF.Sqrt(17)];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], l2[i], 6);
    }

    [Fact]
    public void Views_keep_the_selected_sign()
    {
        float[] signed = [3f, 0f, 2f, -5f];
        float[] positive = (float[])signed.Clone(), negative = (float[])signed.Clone(), absolute = (float[])signed.Clone();
        Heatmap.ApplyView(positive, HeatmapView.Positive);
        Heatmap.ApplyView(negative, HeatmapView.Negative);
        Heatmap.ApplyView(absolute, HeatmapView.Absolute);
        Assert.Equal(new[] { 3f, 0f, 2f, 0f }, positive);
        Assert.Equal(new[] { 0f, 0f, 0f, -5f }, negative);
        Assert.Equal(new[] { 3f, 0f, 2f, 5f }, absolute);
    }

    [Fact]
    public void Signed_sum_normalised_by_maximum_lands_on_diverging_positions()
    {
        var options = new HeatmapOptions { Scaling = HeatmapScaling.Maximum };
        var map = Heatmap.Normalize(TwoChannels(), options);
        Assert.Equal(5f, map.Scale);
        Assert.Equal(new[] { 0.6f, 0f, 0.4f, -1f }, map.Values);
        Assert.Equal(-5f, map.MinimumValue);
        Assert.Equal(5f, map.MaximumValue);

        // t = 0.5 + 0.5 n = 0.8, 0.5, 0.7, 0 -> table entries floor(256 t) = 204, 128, 179, 0.
        var image = Heatmap.Render(TwoChannels(), options);
        Assert.Equal(3, image.Channels);
        var bwr = Colormaps.BlueWhiteRed;
        Assert.Equal(bwr[204], ColourAt(image, 0, 0));
        Assert.Equal(bwr[128], ColourAt(image, 1, 0));
        Assert.Equal(bwr[179], ColourAt(image, 0, 1));
        Assert.Equal(bwr[0], ColourAt(image, 1, 1));
    }

    [Fact]
    public void Percentile_scale_clips_outliers()
    {
        // |sum| = 3 0 2 5, sorted 0 2 3 5; 50th percentile = 2.5; values / 2.5 clipped to [-1, 1].
        var map = Heatmap.Normalize(TwoChannels(), new HeatmapOptions { Percentile = 50 });
        Assert.Equal(2.5f, map.Scale, 6);
        float[] expected = [1f, 0f, 0.8f, -1f];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], map.Values[i], 6);
    }

    [Fact]
    public void Default_scale_is_99_5th_percentile_of_magnitudes()
    {
        // Sorted |sum| 0 2 3 5: position 3 * 0.995 = 2.985 -> 3 + 0.985 * 2 = 4.97.
        var map = Heatmap.Normalize(TwoChannels());
        Assert.Equal(4.97f, map.Scale, 5);
        Assert.Equal(HeatmapView.Signed, map.View);
    }

    [Fact]
    public void Positive_and_negative_views_use_their_own_scale_and_colours()
    {
        var positive = Heatmap.Normalize(TwoChannels(), new HeatmapOptions { View = HeatmapView.Positive, Scaling = HeatmapScaling.Maximum });
        Assert.Equal(3f, positive.Scale);
        float[] expectedPositive = [1f, 0f, 2f / 3f, 0f];
        for (int i = 0; i < 4; i++) Assert.Equal(expectedPositive[i], positive.Values[i], 6);
        Assert.Equal((0f, 3f), (positive.MinimumValue, positive.MaximumValue));

        var negative = Heatmap.Normalize(TwoChannels(), new HeatmapOptions { View = HeatmapView.Negative, Scaling = HeatmapScaling.Maximum });
        Assert.Equal(5f, negative.Scale);
        Assert.Equal(new[] { 0f, 0f, 0f, -1f }, negative.Values);
        Assert.Equal((-5f, 0f), (negative.MinimumValue, negative.MaximumValue));

        // Sequential default (inferno): magnitude 1 -> last entry, 0 -> first; 2/3 -> floor(170.67) = 170.
        var image = Heatmap.Render(TwoChannels(), new HeatmapOptions { View = HeatmapView.Positive, Scaling = HeatmapScaling.Maximum });
        Assert.Equal(Colormaps.Inferno[255], ColourAt(image, 0, 0));
        Assert.Equal(Colormaps.Inferno[0], ColourAt(image, 1, 0));
        Assert.Equal(Colormaps.Inferno[170], ColourAt(image, 0, 1));
        var negativeImage = Heatmap.Render(TwoChannels(), new HeatmapOptions { View = HeatmapView.Negative, Scaling = HeatmapScaling.Maximum });
        Assert.Equal(Colormaps.Inferno[255], ColourAt(negativeImage, 1, 1));

        // A diverging map keeps zero at its centre in one-sided views: negative evidence goes to the blue end.
        var blue = Heatmap.Render(TwoChannels(), new HeatmapOptions { View = HeatmapView.Negative, Scaling = HeatmapScaling.Maximum, Colormap = Colormaps.BlueWhiteRed });
        Assert.Equal(Colormaps.BlueWhiteRed[0], ColourAt(blue, 1, 1));
        Assert.Equal(Colormaps.BlueWhiteRed[128], ColourAt(blue, 0, 0));
    }

    [Fact]
    public void Absolute_view_of_L2_norm_uses_magnitudes()
    {
        var map = Heatmap.Normalize(TwoChannels(), new HeatmapOptions
        {
            Aggregation = ChannelAggregation.L2Norm, View = HeatmapView.Absolute, FixedScale = MathF.Sqrt(17),
        });
        Assert.Equal(MathF.Sqrt(17), map.Scale);
        float[] expected = [MathF.Sqrt(5f / 17), MathF.Sqrt(8f / 17), MathF.Sqrt(10f / 17), 1f];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], map.Values[i], 6);
    }

    [Fact]
    public void CAM_map_is_upsampled_bilinearly_after_normalisation()
    {
        var cam = Tensor.FromValues([2, 2], 1f, 2f, 3f, 4f);
        var map = Heatmap.Normalize(cam, new HeatmapOptions { View = HeatmapView.Positive, FixedScale = 4f, Width = 4, Height = 4 });
        Assert.Equal((4, 4), (map.Width, map.Height));
        // Hand-derived align_corners=False upsampling of [[1,2],[3,4]], divided by 4.
        float[] expected =
        [
            1.0f, 1.25f, 1.75f, 2.0f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3.0f, 3.25f, 3.75f, 4.0f,
        ];
        for (int i = 0; i < 16; i++) Assert.Equal(expected[i] / 4f, map.Values[i], 6);
    }

    [Fact]
    public void Accepts_batched_and_single_channel_shapes()
    {
        var options = new HeatmapOptions { Scaling = HeatmapScaling.Maximum };
        var plain = Heatmap.Normalize(TwoChannels(), options).Values;
        Assert.Equal(plain, Heatmap.Normalize(TwoChannels().Reshape(1, 2, 2, 2), options).Values);
        var cam = Tensor.FromValues([2, 2], 1f, -2f, 3f, 4f);
        Assert.Equal(Heatmap.Normalize(cam, options).Values, Heatmap.Normalize(cam.Reshape(1, 2, 2), options).Values);
        Assert.Equal(new[] { 0.25f, -0.5f, 0.75f, 1f }, Heatmap.Normalize(cam, options).Values);
    }

    [Fact]
    public void Wrong_shapes_and_options_are_rejected_with_typed_errors()
    {
        Assert.Throws<ShapeMismatchException>(() => Heatmap.Normalize(new Tensor(2, 3, 4, 4)));
        Assert.Throws<ShapeMismatchException>(() => Heatmap.Normalize(new Tensor(4)));
        Assert.Throws<ShapeMismatchException>(() => Heatmap.Normalize(new Tensor(3, 0, 4)));
        Assert.Throws<InvalidOptionException>(() => Heatmap.Normalize(TwoChannels(), new HeatmapOptions { Percentile = 101 }));
        Assert.Throws<InvalidOptionException>(() => Heatmap.Normalize(TwoChannels(), new HeatmapOptions { FixedScale = 0f }));
        Assert.Throws<InvalidOptionException>(() => Heatmap.Normalize(TwoChannels(), new HeatmapOptions { Width = 0 }));
    }

    [Fact]
    public void All_zero_map_renders_neutral_and_NaN_renders_bad_colour()
    {
        var zero = Heatmap.Normalize(new Tensor(3, 2, 2));
        Assert.All(zero.Values, v => Assert.Equal(0f, v));
        var image = Heatmap.Colorize(zero, Colormaps.BlueWhiteRed);
        Assert.Equal(Colormaps.BlueWhiteRed[128], ColourAt(image, 1, 1));

        var withNaN = Tensor.FromValues([2, 2], float.NaN, 1f, -1f, 0.5f);
        var rendered = Heatmap.Render(withNaN, new HeatmapOptions { Scaling = HeatmapScaling.Maximum });
        Assert.Equal(Rgb.Magenta, ColourAt(rendered, 0, 0));
        Assert.Equal(Colormaps.BlueWhiteRed[255], ColourAt(rendered, 1, 0));
        Assert.Equal(Colormaps.BlueWhiteRed[0], ColourAt(rendered, 0, 1));
    }

    [Theory]
    [InlineData(HeatmapView.Signed, "viridis")]
    [InlineData(HeatmapView.Positive, "bwr")]
    [InlineData(HeatmapView.Negative, "magma")]
    public void Colorize_of_a_long_row_equals_lookup_of_each_value(HeatmapView view, string colormapName)
    {
        // Long enough for the eight-wide path, with NaN, out-of-range and exact bin edges mixed in.
        var random = new Random(3);
        var values = new float[203];
        for (int i = 0; i < values.Length; i++)
            values[i] = (i % 11) switch
            {
                0 => float.NaN,
                1 => 1.5f,
                2 => -1.5f,
                3 => (i % 5) / 4f - 0.5f,
                _ => (float)(random.NextDouble() * 2 - 1),
            };
        var colormap = Colormaps.ByName(colormapName);
        var image = Heatmap.Colorize(new NormalizedHeatmap(values.Length, 1, values, 1f, view), colormap);
        bool centred = colormap.IsDiverging || view == HeatmapView.Signed;
        for (int i = 0; i < values.Length; i++)
        {
            var (r, g, b) = colormap.Map(centred ? 0.5f + 0.5f * values[i] : MathF.Abs(values[i]));
            Assert.Equal(new Rgb(r, g, b), ColourAt(image, i, 0));
        }
    }
}
