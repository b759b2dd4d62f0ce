using CnnLens.Imaging.Rendering;

namespace CnnLens.Tests.Imaging.Rendering;

public class ColormapTests
{
    private static Colormap Named(string csharpName) =>
        (Colormap)typeof(Colormaps).GetProperty(csharpName)!.GetValue(null)!;

    [Fact]
    public void Every_table_entry_equals_matplotlib()
    {
        using var fixture = RenderingFixtures.Load("colormaps.json");
        int maps = 0;
        foreach (var entry in fixture.RootElement.EnumerateObject())
        {
            var map = Named(entry.Value.GetProperty("csharp").GetString()!);
            Assert.Equal(entry.Name, map.Name);
            int[] expected = RenderingFixtures.Ints(entry.Value.GetProperty("table"));
            Assert.Equal(768, expected.Length);
            for (int i = 0; i < 256; i++)
                Assert.Equal((expected[3 * i], expected[3 * i + 1], expected[3 * i + 2]), ((int)map[i].R, (int)map[i].G, (int)map[i].B));
            maps++;
        }
        Assert.Equal(Colormaps.All.Count, maps);
    }

    [Fact]
    public void Map_of_float_positions_equals_matplotlib_lookup()
    {
        using var fixture = RenderingFixtures.Load("colormaps.json");
        foreach (var entry in fixture.RootElement.EnumerateObject())
        {
            var map = Named(entry.Value.GetProperty("csharp").GetString()!);
            float[] t = RenderingFixtures.Floats(entry.Value.GetProperty("t"));
            int[] rgb = RenderingFixtures.Ints(entry.Value.GetProperty("rgb"));
            for (int i = 0; i < t.Length; i++)
            {
                var (r, g, b) = map.Map(t[i]);
                Assert.True((rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) == (r, g, b), $"{map.Name} at t={t[i]:R}");
            }
        }
    }

    [Fact]
    public void Index_rule_is_floor_of_t_times_256_clamped()
    {
        Assert.Equal(0, Colormap.IndexOf(0f));
        Assert.Equal(0, Colormap.IndexOf(-3f));
        Assert.Equal(0, Colormap.IndexOf(float.NegativeInfinity));
        Assert.Equal(0, Colormap.IndexOf(0.99f / 256));
        Assert.Equal(1, Colormap.IndexOf(1f / 256));
        Assert.Equal(128, Colormap.IndexOf(0.5f));
        Assert.Equal(254, Colormap.IndexOf(254.9f / 256));
        Assert.Equal(255, Colormap.IndexOf(255f / 256));
        Assert.Equal(255, Colormap.IndexOf(1f));
        Assert.Equal(255, Colormap.IndexOf(1e30f));
        Assert.Equal(255, Colormap.IndexOf(float.PositiveInfinity));
    }

    [Fact]
    public void NaN_maps_to_the_bad_colour_which_no_builtin_table_contains()
    {
        foreach (var map in Colormaps.All)
        {
            Assert.Equal((map.Bad.R, map.Bad.G, map.Bad.B), map.Map(float.NaN));
            for (int i = 0; i < 256; i++) Assert.NotEqual(map.Bad, map[i]);
        }
    }

    [Fact]
    public void Blue_white_red_ends_are_pure_blue_and_red_with_white_centre()
    {
        var bwr = Colormaps.BlueWhiteRed;
        Assert.True(bwr.IsDiverging);
        Assert.Equal((0, 0, 255), ((int)bwr.Map(0f).R, (int)bwr.Map(0f).G, (int)bwr.Map(0f).B));
        Assert.Equal((255, 0, 0), ((int)bwr.Map(1f).R, (int)bwr.Map(1f).G, (int)bwr.Map(1f).B));
        // Zero lands on entry 128 = 128/255 of the way: red 1, green and blue 254/255 (1 below white after truncation).
        var centre = bwr.Map(0.5f);
        Assert.Equal(255, centre.R);
        Assert.InRange(centre.G, (byte)253, (byte)254);
        Assert.InRange(centre.B, (byte)253, (byte)254);
        Assert.Equal(centre.G, centre.B);
    }

    [Fact]
    public void Red_white_green_matches_captum_endpoints()
    {
        var map = Colormaps.RedWhiteGreen;
        Assert.True(map.IsDiverging);
        Assert.Equal(((byte)255, (byte)0, (byte)0), map.Map(0f));
        // matplotlib "green" is #008000: 128/255 -> 0.50196 * 255 = 128.
        Assert.Equal(((byte)0, (byte)128, (byte)0), map.Map(1f));
        var centre = map.Map(0.5f);
        Assert.True(centre.R >= 253 && centre.G >= 253 && centre.B >= 253);
    }

    [Fact]
    public void Sequential_maps_have_known_ends()
    {
        Assert.False(Colormaps.Viridis.IsDiverging);
        Assert.Equal(((byte)0, (byte)0, (byte)0), Colormaps.Gray.Map(0f));
        Assert.Equal(((byte)255, (byte)255, (byte)255), Colormaps.Gray.Map(1f));
        // Gray entry i is (i/255)*255 truncated: i, or i-1 where the float product falls just short.
        for (int i = 0; i < 256; i++)
        {
            var entry = Colormaps.Gray[i];
            Assert.Equal(entry.R, entry.G);
            Assert.Equal(entry.R, entry.B);
            Assert.InRange(entry.R, (byte)Math.Max(i - 1, 0), (byte)i);
        }
        // jet starts at dark blue (0, 0, 0.5) and ends at dark red (0.5, 0, 0).
        Assert.Equal(((byte)0, (byte)0, (byte)127), Colormaps.Jet.Map(0f));
        Assert.Equal(((byte)127, (byte)0, (byte)0), Colormaps.Jet.Map(1f));
    }

    [Fact]
    public void ByName_finds_maps_case_insensitively_and_rejects_unknown_names()
    {
        Assert.Same(Colormaps.Viridis, Colormaps.ByName("Viridis"));
        Assert.Same(Colormaps.BlueWhiteRed, Colormaps.ByName("bwr"));
        Assert.Same(Colormaps.RedWhiteGreen, Colormaps.ByName("rdwhgn"));
        var error = Assert.Throws<InvalidOptionException>(() => Colormaps.ByName("rainbow"));
        Assert.Contains("rainbow", error.Message);
        Assert.Contains("viridis", error.Message);
    }

    [Fact]
    public void Custom_table_must_have_768_bytes()
    {
        Assert.Throws<InvalidOptionException>(() => new Colormap("short", new byte[767], isDiverging: false));
    }
}
