namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>
/// Brings a subsampled component plane to full size the way libjpeg-turbo does with its default
/// "fancy" upsampling: triangle filters for 2x1 (h2v1), 1x2 (h1v2) and 2x2 (h2v2), pixel
/// replication for other integer ratios, edges replicated at the component's real width and height.
/// </summary>
internal static class JpegUpsampler
{
    /// <summary>
    /// Writes the full-size <paramref name="width"/> x <paramref name="height"/> plane. The input holds
    /// <paramref name="inWidth"/> x <paramref name="inHeight"/> real samples at <paramref name="inStride"/>.
    /// </summary>
    public static void Upsample(byte[] input, int inStride, int inWidth, int inHeight, int factorX, int factorY,
        byte[] output, int width, int height)
    {
        if (factorX == 2 && factorY == 2 && inWidth > 2) H2V2Fancy(input, inStride, inWidth, inHeight, output, width, height);
        else if (factorX == 2 && factorY == 1 && inWidth > 2) H2V1Fancy(input, inStride, inWidth, output, width, height);
        else if (factorX == 1 && factorY == 2) H1V2Fancy(input, inStride, inHeight, output, width, height);
        else Replicate(input, inStride, factorX, factorY, output, width, height);
    }

    private static void H2V2Fancy(byte[] input, int inStride, int inWidth, int inHeight, byte[] output, int width, int height)
    {
        Tensors.Parallelism.For(height, (y0, y1) =>
        {
            var row = new byte[inWidth * 2];
            for (int y = y0; y < y1; y++)
            {
                int inY = y >> 1;
                // Even output rows blend with the row above, odd ones with the row below (edges replicated).
                int nearY = (y & 1) == 0 ? Math.Max(inY - 1, 0) : Math.Min(inY + 1, inHeight - 1);
                var near = input.AsSpan(nearY * inStride, inWidth);
                var here = input.AsSpan(inY * inStride, inWidth);
                int thisSum = here[0] * 3 + near[0];
                int nextSum = here[1] * 3 + near[1];
                row[0] = (byte)((thisSum * 4 + 8) >> 4);
                row[1] = (byte)((thisSum * 3 + nextSum + 7) >> 4);
                int lastSum = thisSum;
                thisSum = nextSum;
                int o = 2;
                for (int x = 2; x < inWidth; x++)
                {
                    nextSum = here[x] * 3 + near[x];
                    row[o++] = (byte)((thisSum * 3 + lastSum + 8) >> 4);
                    row[o++] = (byte)((thisSum * 3 + nextSum + 7) >> 4);
                    lastSum = thisSum;
                    thisSum = nextSum;
                }
                row[o++] = (byte)((thisSum * 3 + lastSum + 8) >> 4);
                row[o] = (byte)((thisSum * 4 + 7) >> 4);
                row.AsSpan(0, width).CopyTo(output.AsSpan(y * width, width));
            }
        }, costPerItem: width * 4);
    }

    private static void H2V1Fancy(byte[] input, int inStride, int inWidth, byte[] output, int width, int height)
    {
        Tensors.Parallelism.For(height, (y0, y1) =>
        {
            var row = new byte[inWidth * 2];
            for (int y = y0; y < y1; y++)
            {
                var here = input.AsSpan(y * inStride, inWidth);
                int v = here[0];
                row[0] = (byte)v;
                row[1] = (byte)((v * 3 + here[1] + 2) >> 2);
                int o = 2;
                for (int x = 1; x < inWidth - 1; x++)
                {
                    v = here[x] * 3;
                    row[o++] = (byte)((v + here[x - 1] + 1) >> 2);
                    row[o++] = (byte)((v + here[x + 1] + 2) >> 2);
                }
                v = here[inWidth - 1];
                row[o++] = (byte)((v * 3 + here[inWidth - 2] + 1) >> 2);
                row[o] = (byte)v;
                row.AsSpan(0, width).CopyTo(output.AsSpan(y * width, width));
            }
        }, costPerItem: width * 3);
    }

    private static void H1V2Fancy(byte[] input, int inStride, int inHeight, byte[] output, int width, int height)
    {
        Tensors.Parallelism.For(height, (y0, y1) =>
        {
            for (int y = y0; y < y1; y++)
            {
                int inY = y >> 1;
                bool upper = (y & 1) == 0;
                int nearY = upper ? Math.Max(inY - 1, 0) : Math.Min(inY + 1, inHeight - 1);
                int bias = upper ? 1 : 2;
                var here = input.AsSpan(inY * inStride, width);
                var near = input.AsSpan(nearY * inStride, width);
                var dest = output.AsSpan(y * width, width);
                for (int x = 0; x < width; x++) dest[x] = (byte)((here[x] * 3 + near[x] + bias) >> 2);
            }
        }, costPerItem: width * 3);
    }

    private static void Replicate(byte[] input, int inStride, int factorX, int factorY, byte[] output, int width, int height)
    {
        Tensors.Parallelism.For(height, (y0, y1) =>
        {
            for (int y = y0; y < y1; y++)
            {
                var here = input.AsSpan(y / factorY * inStride);
                var dest = output.AsSpan(y * width, width);
                for (int x = 0; x < width; x++) dest[x] = here[x / factorX];
            }
        }, costPerItem: width);
    }
}
