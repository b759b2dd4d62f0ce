using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnLens.Tensors;

namespace CnnLens.Imaging.Rendering;

/// <summary>
/// Turns an attribution tensor into a coloured heatmap: channel aggregation, sign view, scaling by
/// a robust maximum, bilinear upsampling (for CAM maps) and colour lookup, in that order.
/// Accepts [H,W] and [1,H,W] maps (CAMs) and [C,H,W] / [1,C,H,W] attributions (input-space methods).
/// </summary>
public static class Heatmap
{
    /// <summary>Aggregates, views, scales and resizes <paramref name="attribution"/> without colouring it.</summary>
    public static NormalizedHeatmap Normalize(Tensor attribution, HeatmapOptions? options = null)
    {
        options ??= new HeatmapOptions();
        CheckOptions(options);
        var (channels, height, width) = PlaneShape(attribution);
        float[] values = AggregateChannels(attribution.Data, channels, height * width, options.Aggregation);
        ApplyView(values, options.View);
        float scale = options.FixedScale ?? AttributionScaling.Scale(values, options.Scaling, options.Percentile);
        DivideAndClip(values, scale);

        int targetWidth = options.Width ?? width, targetHeight = options.Height ?? height;
        if (targetWidth != width || targetHeight != height)
            values = Resampling.BilinearPlane(values, width, height, targetWidth, targetHeight);
        return new NormalizedHeatmap(targetWidth, targetHeight, values, scale, options.View);
    }

    /// <summary>The coloured heatmap of <paramref name="attribution"/> as an RGB image.</summary>
    public static Image Render(Tensor attribution, HeatmapOptions? options = null)
    {
        options ??= new HeatmapOptions();
        return Colorize(Normalize(attribution, options), options.ResolvedColormap);
    }

    /// <summary>Colours a normalised heatmap with <paramref name="colormap"/> (RGB image of the same size).</summary>
    public static Image Colorize(NormalizedHeatmap map, Colormap colormap)
    {
        var image = new Image(map.Width, map.Height, 3);
        bool centred = IsCentred(map.View, colormap);
        float[] values = map.Values;
        byte[] pixels = image.Pixels;
        int width = map.Width;
        Parallelism.For(map.Height, (start, end) =>
            ColorizeRange(values.AsSpan(start * width, (end - start) * width), pixels.AsSpan(start * width * 3, (end - start) * width * 3), colormap, centred),
            costPerItem: map.Width * 6.0);
        return image;
    }

    /// <summary>Colours <paramref name="values"/> into interleaved RGB <paramref name="output"/> (three bytes per value).</summary>
    private static unsafe void ColorizeRange(ReadOnlySpan<float> values, Span<byte> output, Colormap colormap, bool centred)
    {
        fixed (int* table = colormap.PackedTable)
        fixed (float* source = values)
        fixed (byte* destination = output)
        {
            int i = 0;
            if (Avx2.IsSupported)
            {
                // Eight pixels per step, each written as 4 bytes in order so the spare byte is overwritten
                // by the next pixel; the last pixel is left to the scalar loop so no write passes the end.
                var half = Vector256.Create(0.5f);
                int* packed = stackalloc int[8];
                for (; i < values.Length - 8; i += 8)
                {
                    var value = Avx.LoadVector256(source + i);
                    var position = centred ? half + half * value : Vector256.Abs(value);
                    Avx.Store(packed, Avx2.GatherVector256(table, Colormap.IndicesOf(position), 4));
                    byte* pixel = destination + i * 3;
                    for (int k = 0; k < 8; k++) *(int*)(pixel + 3 * k) = packed[k];
                }
            }
            for (; i < values.Length; i++)
            {
                float value = source[i];
                int colour = table[float.IsNaN(value) ? Colormap.Size : Colormap.IndexOf(ColorPosition(value, centred))];
                byte* pixel = destination + i * 3;
                pixel[0] = (byte)colour;
                pixel[1] = (byte)(colour >> 8);
                pixel[2] = (byte)(colour >> 16);
            }
        }
    }

    /// <summary>
    /// One value per pixel from <paramref name="channels"/> planes of <paramref name="planeSize"/> values:
    /// the sum (signed), the sum of magnitudes, or the Euclidean norm over channels.
    /// </summary>
    public static float[] AggregateChannels(ReadOnlySpan<float> planes, int channels, int planeSize, ChannelAggregation aggregation)
    {
        if (channels <= 0 || planeSize <= 0 || planes.Length != (long)channels * planeSize)
            throw new ShapeMismatchException($"{planes.Length} values do not form {channels} planes of {planeSize}");
        var result = new float[planeSize];
        var sum = result.AsSpan();
        for (int c = 0; c < channels; c++)
        {
            var plane = planes.Slice(c * planeSize, planeSize);
            switch (aggregation)
            {
                case ChannelAggregation.Sum:
                    AddInto(sum, plane);
                    break;
                case ChannelAggregation.SumOfAbsolute:
                    AddAbsoluteInto(sum, plane);
                    break;
                case ChannelAggregation.L2Norm:
                    AddSquaresInto(sum, plane);
                    break;
                default:
                    throw new InvalidOptionException($"unknown channel aggregation {aggregation}; use Sum, SumOfAbsolute or L2Norm");
            }
        }
        if (aggregation == ChannelAggregation.L2Norm)
        {
            int i = 0;
            for (; i <= planeSize - Vector<float>.Count; i += Vector<float>.Count)
                Vector.SquareRoot(new Vector<float>(sum[i..])).CopyTo(sum[i..]);
            for (; i < planeSize; i++) sum[i] = MathF.Sqrt(sum[i]);
        }
        return result;
    }

    private static void AddInto(Span<float> sum, ReadOnlySpan<float> plane)
    {
        int i = 0;
        for (; i <= sum.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(sum[i..]) + new Vector<float>(plane[i..])).CopyTo(sum[i..]);
        for (; i < sum.Length; i++) sum[i] += plane[i];
    }

    private static void AddAbsoluteInto(Span<float> sum, ReadOnlySpan<float> plane)
    {
        int i = 0;
        for (; i <= sum.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(sum[i..]) + Vector.Abs(new Vector<float>(plane[i..]))).CopyTo(sum[i..]);
        for (; i < sum.Length; i++) sum[i] += MathF.Abs(plane[i]);
    }

    private static void AddSquaresInto(Span<float> sum, ReadOnlySpan<float> plane)
    {
        int i = 0;
        for (; i <= sum.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var v = new Vector<float>(plane[i..]);
            (new Vector<float>(sum[i..]) + v * v).CopyTo(sum[i..]);
        }
        for (; i < sum.Length; i++) sum[i] += plane[i] * plane[i];
    }

    /// <summary>Keeps the part of each value the view shows: positive part, negative part (as ≤ 0), |value|, or all.</summary>
    public static void ApplyView(Span<float> values, HeatmapView view)
    {
        switch (view)
        {
            case HeatmapView.Signed:
                return;
            case HeatmapView.Positive:
                // Written as comparisons so NaN stays NaN rather than becoming 0.
                for (int i = 0; i < values.Length; i++) if (values[i] < 0f) values[i] = 0f;
                return;
            case HeatmapView.Negative:
                for (int i = 0; i < values.Length; i++) if (values[i] > 0f) values[i] = 0f;
                return;
            case HeatmapView.Absolute:
                for (int i = 0; i < values.Length; i++) values[i] = MathF.Abs(values[i]);
                return;
            default:
                throw new InvalidOptionException($"unknown heatmap view {view}; use Signed, Positive, Negative or Absolute");
        }
    }

    /// <summary>
    /// Position in the colormap of a normalised value n in [-1, 1]. Centred (diverging map or signed
    /// view): zero at 0.5, −1 at 0, +1 at 1. Otherwise the magnitude |n| runs from 0 to 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ColorPosition(float normalized, bool centred) =>
        centred ? 0.5f + 0.5f * normalized : MathF.Abs(normalized);

    /// <summary>Whether zero sits at the colormap's centre for this view and map.</summary>
    public static bool IsCentred(HeatmapView view, Colormap colormap) => colormap.IsDiverging || view == HeatmapView.Signed;

    /// <summary>(channels, height, width) of an attribution: [H,W], [C,H,W] or [1,C,H,W].</summary>
    internal static (int Channels, int Height, int Width) PlaneShape(Tensor attribution)
    {
        var shape = attribution.Shape;
        var result = shape.Length switch
        {
            2 => (1, shape[0], shape[1]),
            3 => (shape[0], shape[1], shape[2]),
            4 when shape[0] == 1 => (shape[1], shape[2], shape[3]),
            _ => (0, 0, 0),
        };
        if (result.Item1 <= 0 || result.Item2 <= 0 || result.Item3 <= 0)
            throw new ShapeMismatchException(
                $"cannot draw an attribution of shape {Tensor.ShapeString(shape)} as a heatmap; expected [H,W], [C,H,W] or [1,C,H,W] with no empty dimension");
        return result;
    }

    private static void DivideAndClip(Span<float> values, float scale)
    {
        // An all-zero map has scale 0: show it as all-neutral instead of dividing by zero.
        if (!(scale > 0f) || float.IsPositiveInfinity(scale))
        {
            for (int i = 0; i < values.Length; i++) if (!float.IsNaN(values[i])) values[i] = 0f;
            return;
        }
        for (int i = 0; i < values.Length; i++) values[i] = Math.Clamp(values[i] / scale, -1f, 1f);
    }

    private static void CheckOptions(HeatmapOptions options)
    {
        if (options.Width is <= 0 || options.Height is <= 0)
            throw new InvalidOptionException($"heatmap size {options.Width}x{options.Height} must be positive");
        if (options.FixedScale is { } fixedScale && !(fixedScale > 0f && float.IsFinite(fixedScale)))
            throw new InvalidOptionException($"fixed heatmap scale must be a positive finite number, got {fixedScale}");
        if (!(options.Percentile >= 0 && options.Percentile <= 100))
            throw new InvalidOptionException($"heatmap percentile must be between 0 and 100, got {options.Percentile}");
    }
}
