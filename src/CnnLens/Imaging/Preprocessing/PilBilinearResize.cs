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
                int rowIn = y * inStride, rowOut = y * outStride;
                for (int xx = 0; xx < width; xx++)
                {
                    int xmin = bounds[xx * 2], count = bounds[xx * 2 + 1], kOffset = xx * taps;
                    for (int c = 0; c < channels; c++)
                    {
                        int sum = 1 << (PrecisionBits - 1);
                        int p = rowIn + xmin * channels + c;
                        for (int x = 0; x < count; x++, p += channels) sum += src[p] * weights[kOffset + x];
                        dst[rowOut + xx * channels + c] = Clip8(sum);
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
                {
                    int w = weights[kOffset + y];
                    var row = src.AsSpan((ymin + y) * stride, stride);
                    for (int i = 0; i < stride; i++) sums[i] += row[i] * w;
                }
                var outRow = dst.AsSpan(yy * stride, stride);
                for (int i = 0; i < stride; i++) outRow[i] = Clip8(sums[i]);
            }
        }, costPerItem: (double)stride * taps);
        return output;
    }
}
