namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>
/// YCbCr to RGB with libjpeg's 16-bit fixed-point tables (jdcolor), so rounding matches
/// libjpeg-turbo exactly.
/// </summary>
internal static class JpegColorConverter
{
    private const int ScaleBits = 16, Half = 1 << (ScaleBits - 1);
    private static readonly int[] CrToR = new int[256], CbToB = new int[256], CrToG = new int[256], CbToG = new int[256];

    static JpegColorConverter()
    {
        static int Fix(double x) => (int)(x * (1 << ScaleBits) + 0.5);
        for (int i = 0; i < 256; i++)
        {
            int x = i - 128;
            CrToR[i] = (Fix(1.40200) * x + Half) >> ScaleBits;
            CbToB[i] = (Fix(1.77200) * x + Half) >> ScaleBits;
            CrToG[i] = -Fix(0.71414) * x;
            CbToG[i] = -Fix(0.34414) * x + Half;
        }
    }

    private static byte Clamp(int v) => (byte)(v < 0 ? 0 : v > 255 ? 255 : v);

    /// <summary>A full-size component plane: samples and bytes per row.</summary>
    public readonly record struct Plane(byte[] Data, int Stride);

    /// <summary>Interleaves three full-size planes into RGB, converting from YCbCr when <paramref name="ycbcr"/> (else they already hold R, G, B: Adobe transform 0).</summary>
    public static void ToRgb(Plane first, Plane second, Plane third, bool ycbcr, byte[] rgb, int width, int height)
    {
        Tensors.Parallelism.For(height, (r0, r1) =>
        {
            for (int row = r0; row < r1; row++)
            {
                var a = first.Data.AsSpan(row * first.Stride, width);
                var b = second.Data.AsSpan(row * second.Stride, width);
                var c = third.Data.AsSpan(row * third.Stride, width);
                var o = rgb.AsSpan(row * width * 3, width * 3);
                if (ycbcr)
                {
                    for (int x = 0; x < width; x++)
                    {
                        int luma = a[x], blue = b[x], red = c[x];
                        o[3 * x] = Clamp(luma + CrToR[red]);
                        o[3 * x + 1] = Clamp(luma + ((CbToG[blue] + CrToG[red]) >> ScaleBits));
                        o[3 * x + 2] = Clamp(luma + CbToB[blue]);
                    }
                }
                else
                {
                    for (int x = 0; x < width; x++)
                    {
                        o[3 * x] = a[x];
                        o[3 * x + 1] = b[x];
                        o[3 * x + 2] = c[x];
                    }
                }
            }
        }, costPerItem: width * 8);
    }
}
