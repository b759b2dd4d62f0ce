using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;

namespace CnnLens.Tests.Imaging.Rendering;

public class ResamplingTests
{
    [Fact]
    public void Bilinear_2x2_to_4x4_matches_half_pixel_hand_derivation()
    {
        // Output o samples input (o + 0.5)/2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (upper tap repeats the edge):
        // weights along an axis: v0, 0.75 v0 + 0.25 v1, 0.25 v0 + 0.75 v1, v1.
        float[] source = [1f, 2f, 3f, 4f];
        float[] expected =
        [
            1.0f, 1.25f, 1.75f, 2.0f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3.0f, 3.25f, 3.75f, 4.0f,
        ];
        var output = Resampling.BilinearPlane(source, 2, 2, 4, 4);
        for (int i = 0; i < 16; i++) Assert.Equal(expected[i], output[i], 6);
        var span = new float[16];
        Resampling.BilinearPlane(source, 2, 2, span, 4, 4);
        Assert.Equal(output, span);
    }

    [Fact]
    public void Bilinear_matches_torch_interpolate_align_corners_false()
    {
        using var fixture = RenderingFixtures.Load("bilinear_upsample.json");
        foreach (var entry in fixture.RootElement.EnumerateArray())
        {
            int h = entry.GetProperty("height").GetInt32(), w = entry.GetProperty("width").GetInt32();
            int oh = entry.GetProperty("outHeight").GetInt32(), ow = entry.GetProperty("outWidth").GetInt32();
            float[] input = RenderingFixtures.Floats(entry.GetProperty("input"));
            float[] expected = RenderingFixtures.Floats(entry.GetProperty("output"));
            var output = Resampling.BilinearPlane(input, w, h, ow, oh);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - output[i]) <= 1e-5f, $"{h}x{w}->{oh}x{ow} at {i}: {output[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Nearest_resize_replicates_pixels()
    {
        var image = new Image(2, 1, 1, [10, 200]);
        var resized = Resampling.Resize(image, 4, 2, ResizeFilter.Nearest);
        Assert.Equal(new byte[] { 10, 10, 200, 200, 10, 10, 200, 200 }, resized.Pixels);
        // Downscaling picks the pixel under each output centre: 5 -> 2 takes inputs 1 and 3.
        var row = new Image(5, 1, 1, [0, 1, 2, 3, 4]);
        Assert.Equal(new byte[] { 1, 3 }, Resampling.Resize(row, 2, 1, ResizeFilter.Nearest).Pixels);
    }

    [Fact]
    public void Bilinear_resize_of_bytes_rounds_the_half_pixel_blend()
    {
        var image = new Image(2, 1, 3, [0, 100, 255, 100, 0, 55]);
        var resized = Resampling.Resize(image, 4, 1, ResizeFilter.Bilinear);
        // Columns: v0, 0.75 v0 + 0.25 v1, 0.25 v0 + 0.75 v1, v1, per channel, rounded.
        byte[] expected =
        [
            0, 100, 255,
            25, 75, 205,
            75, 25, 105,
            100, 0, 55,
        ];
        Assert.Equal(expected, resized.Pixels);
    }
}
