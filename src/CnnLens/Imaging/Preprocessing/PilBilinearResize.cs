using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CnnLens.Tensors;

namespace CnnLens.Imaging.Preprocessing;

/// <summary>
/// Pillow's <c>Image.resize(size, Image.BILINEAR)</c> for 8-bit images, reproduced from the
/// published algorithm (ImagingResample): a triangle filter whose support grows with the downscale
/// factor (so it antialiases), weights normalised per output pixel and rounded to 22-bit fixed
/// point, a horizontal pass first, then a vertical pass, each rounding and clamping to 8 bits.
/// </summary>
public static class PilBilinearResize
{
    private const int PrecisionBits = 32 - 8 - 2;

    public static Image Resize(Image image, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new InvalidOptionException($"resize target {width}x{height} must be positive");
        if (width == image.Width && height == image.Height) return new Image(width, height, image.Channels, (byte[])image.Pixels.Clone());
        var current = image;
        if (width != image.Width)
        {
            var (bounds, weights, taps) = Coefficients(image.Width, width);
            current = Horizontal(current, width, bounds, weights, taps);
        }
        if (height != image.Height)
        {
            var (bounds, weights, taps) = Coefficients(image.Height, height);
            current = Vertical(current, height, bounds, weights, taps);
        }
        return current;
    }

    private static double Triangle(double x)
    {
        if (x < 0) x = -x;
        return x < 1 ? 1 - x : 0;
    }

    /// <summary>Per output position: first input index and tap count (bounds), and fixed-point weights, <c>taps</c> per position.</summary>
    internal static (int[] Bounds, int[] Weights, int Taps) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale;
        int taps = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var weights = new int[outSize * taps];
        var k = new double[taps];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double inverse = 1.0 / filterScale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            double total = 0;
            for (int x = 0; x < xmax; x++)
            {
                double w = Triangle((x + xmin - center + 0.5) * inverse);
                k[x] = w;
                total += w;
            }
            for (int x = 0; x < xmax; x++)
            {
                double w = total != 0 ? k[x] / total : k[x];
                weights[xx * taps + x] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return (bounds, weights, taps);
    }

    private static byte Clip8(int value)
    {
        if (value >= 1 << PrecisionBits << 8) return 255;
        if (value <= 0) return 0;
        return (byte)(value >> PrecisionBits);
    }

    private static Image Horizontal(Image input, int width, int[] bounds, int[] weights, int taps)
    {
        int channels = input.Channels, height = input.Height;
        var output = new Image(width, height, channels);
        var src = input.Pixels;
        var dst = output.Pixels;
        int inStride = input.Stride, outStride = output.Stride;
        Parallelism.For(height, (y0, y1) =>
        {
            for (int y = y0; y < y1; y++)
            {
                var row = src.AsSpan(y * inStride, inStride);
                var outRow = dst.AsSpan(y * outStride, outStride);
                for (int xx = 0; xx < width; xx++)
                {
                    int xmin = bounds[xx * 2], count = bounds[xx * 2 + 1];
                    var k = weights.AsSpan(xx * taps, count);
                    var pixels = row.Slice(xmin * channels, count * channels);
                    if (channels == 3)
                    {
                        // All three channels in one pass over the taps, as Pillow does per pixel.
                        int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
                        for (int x = 0; x < k.Length; x++)
                        {
                            int w = k[x];
                            s0 += pixels[3 * x] * w;
                            s1 += pixels[3 * x + 1] * w;
                            s2 += pixels[3 * x + 2] * w;
                        }
                        outRow[3 * xx] = Clip8(s0);
                        outRow[3 * xx + 1] = Clip8(s1);
                        outRow[3 * xx + 2] = Clip8(s2);
                        continue;
                    }
                    for (int c = 0; c < channels; c++)
                    {
                        int sum = 1 << (PrecisionBits - 1);
                        for (int x = 0; x < k.Length; x++) sum += pixels[x * channels + c] * k[x];
                        outRow[xx * channels + c] = Clip8(sum);
                    }
                }
            }
        }, costPerItem: (double)width * channels * taps);
        return output;
    }

    private static Image Vertical(Image input, int height, int[] bounds, int[] weights, int taps)
    {
        int channels = input.Channels, width = input.Width, stride = input.Stride;
        var output = new Image(width, height, channels);
        var src = input.Pixels;
        var dst = output.Pixels;
        Parallelism.For(height, (y0, y1) =>
        {
            var sums = new int[stride];
            for (int yy = y0; yy < y1; yy++)
            {
                int ymin = bounds[yy * 2], count = bounds[yy * 2 + 1], kOffset = yy * taps;
                Array.Fill(sums, 1 << (PrecisionBits - 1));
                // Accumulate whole rows so the inner loop runs over contiguous bytes.
                for (int y = 0; y < count; y++)
                    AccumulateRow(src.AsSpan((ymin + y) * stride, stride), weights[kOffset + y], sums);
                var outRow = dst.AsSpan(yy * stride, stride);
                for (int i = 0; i < stride; i++) outRow[i] = Clip8(sums[i]);
            }
        }, costPerItem: (double)stride * taps);
        return output;
    }

    /// <summary>sums[i] += row[i] * weight, eight samples at a time where the hardware allows.</summary>
    private static void AccumulateRow(ReadOnlySpan<byte> row, int weight, Span<int> sums)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var w = Vector256.Create(weight);
            ref byte r = ref MemoryMarshal.GetReference(row);
            ref int s = ref MemoryMarshal.GetReference(sums);
            for (; i + 16 <= row.Length; i += 16)
            {
                var bytes = Vector128.LoadUnsafe(ref r, (nuint)i);
                var (low, high) = Vector128.Widen(bytes);
                var (a, b) = Vector256.Widen(Vector256.Create(low, high));
                var lowSum = Vector256.LoadUnsafe(ref s, (nuint)i) + a.AsInt32() * w;
                var highSum = Vector256.LoadUnsafe(ref s, (nuint)(i + 8)) + b.AsInt32() * w;
                lowSum.StoreUnsafe(ref s, (nuint)i);
                highSum.StoreUnsafe(ref s, (nuint)(i + 8));
            }
        }
        for (; i < row.Length; i++) sums[i] += row[i] * weight;
    }
}
