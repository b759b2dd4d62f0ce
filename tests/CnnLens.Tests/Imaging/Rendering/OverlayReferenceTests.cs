using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;

namespace CnnLens.Tests.Imaging.Rendering;

/// <summary>Overlay blending on larger random images (the SIMD path) against a naive per-pixel reference.</summary>
public class OverlayReferenceTests
{
    private const int Width = 61, Height = 37;

    private static Image RandomPhoto(int channels, int seed)
    {
        var image = new Image(Width, Height, channels);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }

    private static NormalizedHeatmap RandomMap(HeatmapView view, int seed)
    {
        var random = new Random(seed);
        var values = new float[Width * Height];
        for (int i = 0; i < values.Length; i++)
        {
            float v = (float)(random.NextDouble() * 2.4 - 1.2);
            values[i] = view switch
            {
                HeatmapView.Positive or HeatmapView.Absolute => MathF.Abs(v),
                HeatmapView.Negative => -MathF.Abs(v),
                _ => v,
            };
            if (i % 97 == 5) values[i] = float.NaN;
            if (i % 89 == 3) values[i] = 0f;
        }
        return new NormalizedHeatmap(Width, Height, values, 1f, view);
    }

    /// <summary>The documented rule, pixel by pixel, in double precision.</summary>
    private static byte[] Reference(Image photo, NormalizedHeatmap map, Colormap colormap, bool byMagnitude, double opacity, bool gray)
    {
        var result = new byte[Width * Height * 3];
        bool centred = colormap.IsDiverging || map.View == HeatmapView.Signed;
        for (int i = 0; i < Width * Height; i++)
        {
            int c = photo.Channels;
            double r = photo.Pixels[i * c], g = c >= 3 ? photo.Pixels[i * c + 1] : r, b = c >= 3 ? photo.Pixels[i * c + 2] : r;
            if (gray && c >= 3) r = g = b = (r + g + b) / 3;
            double n = map.Values[i];
            Rgb colour;
            double alpha;
            if (double.IsNaN(n))
            {
                colour = colormap.Bad;
                alpha = 1;
            }
            else
            {
                double t = centred ? 0.5 + 0.5 * n : Math.Abs(n);
                colour = colormap[(int)Math.Clamp(Math.Floor(t * 256), 0, 255)];
                alpha = byMagnitude ? opacity * Math.Min(Math.Abs(n), 1) : opacity;
            }
            result[i * 3] = (byte)Math.Floor((1 - alpha) * r + alpha * colour.R + 0.5);
            result[i * 3 + 1] = (byte)Math.Floor((1 - alpha) * g + alpha * colour.G + 0.5);
            result[i * 3 + 2] = (byte)Math.Floor((1 - alpha) * b + alpha * colour.B + 0.5);
        }
        return result;
    }

    public static TheoryData<int, HeatmapView, string, bool> Cases => new()
    {
        { 3, HeatmapView.Signed, "bwr", false },
        { 3, HeatmapView.Signed, "bwr", true },
        { 4, HeatmapView.Negative, "RdWhGn", false },
        { 3, HeatmapView.Positive, "jet", false },
        { 3, HeatmapView.Absolute, "inferno", true },
        { 1, HeatmapView.Signed, "bwr", false },
        { 4, HeatmapView.Signed, "viridis", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Blend_matches_naive_reference_within_rounding(int channels, HeatmapView view, string colormapName, bool gray)
    {
        var colormap = Colormaps.ByName(colormapName);
        var photo = RandomPhoto(channels, channels * 31 + (int)view);
        var map = RandomMap(view, 7 + (int)view);
        var options = new OverlayOptions { GrayscalePhoto = gray };
        var actual = Overlay.Blend(photo, map, colormap, options).Pixels;
        bool byMagnitude = colormap.IsDiverging;
        var expected = Reference(photo, map, colormap, byMagnitude, byMagnitude ? options.PeakOpacity : options.ConstantOpacity, gray);
        // float vs double may differ by one step only where the blend lands on an exact half.
        int off = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1, $"byte {i}: {actual[i]} vs {expected[i]}");
            if (expected[i] != actual[i]) off++;
        }
        Assert.True(off <= expected.Length / 200, $"{off} bytes off by one");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Wide_rows_give_the_same_bytes_as_pixel_by_pixel_blending(int channels, HeatmapView view, string colormapName, bool gray)
    {
        // One-pixel images never reach the eight-wide SIMD loop, so this compares the two code paths exactly.
        var colormap = Colormaps.ByName(colormapName);
        var photo = RandomPhoto(channels, 3 + channels);
        var map = RandomMap(view, 11);
        var options = new OverlayOptions { GrayscalePhoto = gray, Alpha = OverlayAlpha.ScaledByMagnitude, PeakOpacity = 0.7f };
        var whole = Overlay.Blend(photo, map, colormap, options).Pixels;
        for (int i = 0; i < Width * Height; i++)
        {
            var pixel = new Image(1, 1, channels, photo.Pixels.AsSpan(i * channels, channels).ToArray());
            var single = Overlay.Blend(pixel, new NormalizedHeatmap(1, 1, [map.Values[i]], 1f, view), colormap, options).Pixels;
            Assert.True(single.AsSpan().SequenceEqual(whole.AsSpan(i * 3, 3)), $"pixel {i}");
        }
    }
}
