using CnnLens.Tensors;

namespace CnnLens.Imaging.Rendering;

/// <summary>
/// Display resizing: bilinear with half-pixel centres, the formula of torch
/// F.interpolate(mode='bilinear', align_corners=False) and cv2.resize(INTER_LINEAR): output pixel
/// x samples the input at (x + 0.5) * in / out - 0.5, clamped at 0, between the two nearest
/// samples (the last one repeats at the far edge). No antialiasing: this is for upsampling maps.
/// </summary>
public static class Resampling
{
    /// <summary>Source sample indices and weight of the upper one, per output position along one axis.</summary>
    private readonly struct Taps(int[] lower, int[] upper, float[] weight)
    {
        public readonly int[] Lower = lower;
        public readonly int[] Upper = upper;
        public readonly float[] Weight = weight;

        public static Taps Bilinear(int inputSize, int outputSize)
        {
            var lower = new int[outputSize];
            var upper = new int[outputSize];
            var weight = new float[outputSize];
            float scale = (float)inputSize / outputSize;
            for (int o = 0; o < outputSize; o++)
            {
                float source = MathF.Max(scale * (o + 0.5f) - 0.5f, 0f);
                int index = Math.Min((int)source, inputSize - 1);
                lower[o] = index;
                upper[o] = Math.Min(index + 1, inputSize - 1);
                weight[o] = Math.Clamp(source - index, 0f, 1f);
            }
            return new Taps(lower, upper, weight);
        }
    }

    /// <summary>Bilinear resize of a single-channel float plane (row-major, width x height).</summary>
    public static void BilinearPlane(ReadOnlySpan<float> source, int sourceWidth, int sourceHeight,
        Span<float> destination, int destinationWidth, int destinationHeight)
    {
        CheckPlane(source.Length, sourceWidth, sourceHeight, "source");
        CheckPlane(destination.Length, destinationWidth, destinationHeight, "destination");
        var columns = Taps.Bilinear(sourceWidth, destinationWidth);
        var rows = Taps.Bilinear(sourceHeight, destinationHeight);
        for (int y = 0; y < destinationHeight; y++)
            BilinearRow(source, sourceWidth, rows, columns, y, destination.Slice(y * destinationWidth, destinationWidth));
    }

    /// <summary>Bilinear resize of a float plane into a new array, rows split across threads.</summary>
    public static float[] BilinearPlane(float[] source, int sourceWidth, int sourceHeight, int destinationWidth, int destinationHeight)
    {
        CheckPlane(source.Length, sourceWidth, sourceHeight, "source");
        CheckPlane((long)destinationWidth * destinationHeight, destinationWidth, destinationHeight, "destination");
        var destination = new float[destinationWidth * destinationHeight];
        var columns = Taps.Bilinear(sourceWidth, destinationWidth);
        var rows = Taps.Bilinear(sourceHeight, destinationHeight);
        Parallelism.For(destinationHeight, (start, end) =>
        {
            for (int y = start; y < end; y++)
                BilinearRow(source, sourceWidth, rows, columns, y, destination.AsSpan(y * destinationWidth, destinationWidth));
        }, costPerItem: destinationWidth * 8.0);
        return destination;
    }

    private static void BilinearRow(ReadOnlySpan<float> source, int sourceWidth, Taps rows, Taps columns, int y, Span<float> output)
    {
        var top = source.Slice(rows.Lower[y] * sourceWidth, sourceWidth);
        var bottom = source.Slice(rows.Upper[y] * sourceWidth, sourceWidth);
        float h1 = rows.Weight[y], h0 = 1f - h1;
        for (int x = 0; x < output.Length; x++)
        {
            int x0 = columns.Lower[x], x1 = columns.Upper[x];
            float w1 = columns.Weight[x], w0 = 1f - w1;
            output[x] = h0 * (w0 * top[x0] + w1 * top[x1]) + h1 * (w0 * bottom[x0] + w1 * bottom[x1]);
        }
    }

    /// <summary>Resizes an 8-bit image (any channel count) with the given filter; same size returns a copy.</summary>
    public static Image Resize(Image image, int width, int height, ResizeFilter filter)
    {
        if (width <= 0 || height <= 0) throw new InvalidOptionException($"resize target {width}x{height} must be positive");
        if (width == image.Width && height == image.Height)
            return new Image(width, height, image.Channels, (byte[])image.Pixels.Clone());
        var result = new Image(width, height, image.Channels);
        int channels = image.Channels;
        byte[] src = image.Pixels, dst = result.Pixels;
        if (filter == ResizeFilter.Nearest)
        {
            var columns = NearestIndices(image.Width, width);
            var rows = NearestIndices(image.Height, height);
            for (int y = 0; y < height; y++)
            {
                int sourceRow = rows[y] * image.Stride, destinationRow = y * result.Stride;
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < channels; c++)
                        dst[destinationRow + x * channels + c] = src[sourceRow + columns[x] * channels + c];
            }
            return result;
        }
        var horizontal = Taps.Bilinear(image.Width, width);
        var vertical = Taps.Bilinear(image.Height, height);
        for (int y = 0; y < height; y++)
        {
            int top = vertical.Lower[y] * image.Stride, bottom = vertical.Upper[y] * image.Stride;
            float h1 = vertical.Weight[y], h0 = 1f - h1;
            int destinationRow = y * result.Stride;
            for (int x = 0; x < width; x++)
            {
                int left = horizontal.Lower[x] * channels, right = horizontal.Upper[x] * channels;
                float w1 = horizontal.Weight[x], w0 = 1f - w1;
                for (int c = 0; c < channels; c++)
                {
                    float value = h0 * (w0 * src[top + left + c] + w1 * src[top + right + c])
                                + h1 * (w0 * src[bottom + left + c] + w1 * src[bottom + right + c]);
                    dst[destinationRow + x * channels + c] = ToByte(value);
                }
            }
        }
        return result;
    }

    /// <summary>Nearest source index per output position: the input pixel containing the output pixel's centre.</summary>
    internal static int[] NearestIndices(int inputSize, int outputSize)
    {
        var indices = new int[outputSize];
        for (int o = 0; o < outputSize; o++)
            indices[o] = Math.Min((int)((o + 0.5) * inputSize / outputSize), inputSize - 1);
        return indices;
    }

    /// <summary>Rounds a value in [0, 255] to the nearest byte, clamping anything outside.</summary>
    internal static byte ToByte(float value) =>
        value >= 255f ? (byte)255 : value > 0f ? (byte)(value + 0.5f) : (byte)0;

    private static void CheckPlane(long length, int width, int height, string what)
    {
        if (width <= 0 || height <= 0)
            throw new ShapeMismatchException($"{what} plane size {width}x{height} must be positive");
        if (length != (long)width * height)
            throw new ShapeMismatchException($"{what} plane {width}x{height} needs {(long)width * height} values, got {length}");
    }
}
