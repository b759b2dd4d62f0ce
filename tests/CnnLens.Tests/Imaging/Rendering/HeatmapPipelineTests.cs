using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Tests.Imaging.Rendering;

/// <summary>Whole heatmaps against the numpy/torch/matplotlib restatement in tools/make_colormap_tables.py.</summary>
public class HeatmapPipelineTests
{
    private static void AssertSameColours(int[] expected, byte[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int pixels = expected.Length / 3, different = 0;
        for (int i = 0; i < pixels; i++)
            if (expected[3 * i] != actual[3 * i] || expected[3 * i + 1] != actual[3 * i + 1] || expected[3 * i + 2] != actual[3 * i + 2])
                different++;
        // The reference computes in float32 like CnnLens, so every pixel must match.
        Assert.True(different == 0, $"{what}: {different} of {pixels} pixels differ");
    }

    [Fact]
    public void Signed_input_space_heatmap_equals_reference()
    {
        using var fixture = RenderingFixtures.Load("heatmap_pipeline.json");
        var signed = fixture.RootElement.GetProperty("signed");
        var attribution = new Tensor(RenderingFixtures.Ints(signed.GetProperty("shape")), RenderingFixtures.Floats(signed.GetProperty("values")));
        var map = Heatmap.Normalize(attribution);
        Assert.Equal((float)signed.GetProperty("scale").GetDouble(), map.Scale, 5);
        AssertSameColours(RenderingFixtures.Ints(signed.GetProperty("rgb")), Heatmap.Colorize(map, Colormaps.BlueWhiteRed).Pixels, "signed");
    }

    [Fact]
    public void Upsampled_CAM_heatmap_equals_reference()
    {
        using var fixture = RenderingFixtures.Load("heatmap_pipeline.json");
        var cam = fixture.RootElement.GetProperty("cam");
        var attribution = new Tensor(RenderingFixtures.Ints(cam.GetProperty("shape")), RenderingFixtures.Floats(cam.GetProperty("values")));
        var options = new HeatmapOptions
        {
            View = HeatmapView.Positive, Colormap = Colormaps.Jet,
            Width = cam.GetProperty("outWidth").GetInt32(), Height = cam.GetProperty("outHeight").GetInt32(),
        };
        var image = Heatmap.Render(attribution, options);
        Assert.Equal((40, 32), (image.Width, image.Height));
        Assert.Equal((float)cam.GetProperty("scale").GetDouble(), Heatmap.Normalize(attribution, options).Scale, 5);
        AssertSameColours(RenderingFixtures.Ints(cam.GetProperty("rgb")), image.Pixels, "cam");
    }
}
