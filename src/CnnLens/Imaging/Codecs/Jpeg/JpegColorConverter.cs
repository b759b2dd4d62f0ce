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

    /// <summary>Converts full-size Y, Cb, Cr planes (width x height each) to interleaved RGB.</summary>
    public static void YCbCrToRgb(byte[] y, byte[] cb, byte[] cr, byte[] rgb, int width, int height)
    {
        Tensors.Parallelism.For(height, (r0, r1) =>
        {
            for (int i = r0 * width, end = r1 * width; i < end; i++)
            {
                int luma = y[i], blue = cb[i], red = cr[i];
                int o = i * 3;
                rgb[o] = Clamp(luma + CrToR[red]);
                rgb[o + 1] = Clamp(luma + ((CbToG[blue] + CrToG[red]) >> ScaleBits));
                rgb[o + 2] = Clamp(luma + CbToB[blue]);
            }
        }, costPerItem: width * 8);
    }

    /// <summary>Interleaves three full-size planes that already hold R, G, B (Adobe transform 0).</summary>
    public static void Interleave(byte[] r, byte[] g, byte[] b, byte[] rgb)
    {
        for (int i = 0; i < r.Length; i++)
        {
            rgb[i * 3] = r[i];
            rgb[i * 3 + 1] = g[i];
            rgb[i * 3 + 2] = b[i];
        }
    }
}
