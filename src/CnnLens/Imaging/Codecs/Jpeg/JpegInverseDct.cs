namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>
/// The accurate integer inverse DCT of libjpeg ("islow", Loeffler-Ligtenberg-Moschytz with 13-bit
/// fixed-point constants and 2 extra bits between passes), written from the published algorithm so
/// that its output equals libjpeg-turbo's — and therefore PIL's — sample for sample.
/// </summary>
internal static class JpegInverseDct
{
    private const int ConstBits = 13, Pass1Bits = 2;
    private const int Fix0298631336 = 2446, Fix0390180644 = 3196, Fix0541196100 = 4433, Fix0765366865 = 6270;
    private const int Fix0899976223 = 7373, Fix1175875602 = 9633, Fix1501321110 = 12299, Fix1847759065 = 15137;
    private const int Fix1961570560 = 16069, Fix2053119869 = 16819, Fix2562915447 = 20995, Fix3072711026 = 25172;

    /// <summary>
    /// Dequantises <paramref name="coefficients"/> (natural order), transforms them and writes 8x8
    /// samples to <paramref name="output"/> at <paramref name="stride"/> bytes per row.
    /// </summary>
    public static void Transform(ReadOnlySpan<short> coefficients, ReadOnlySpan<ushort> quant, Span<byte> output, int stride)
    {
        Span<int> ws = stackalloc int[64];
        for (int col = 0; col < 8; col++)
        {
            if (coefficients[8 + col] == 0 && coefficients[16 + col] == 0 && coefficients[24 + col] == 0 &&
                coefficients[32 + col] == 0 && coefficients[40 + col] == 0 && coefficients[48 + col] == 0 &&
                coefficients[56 + col] == 0)
            {
                int dc = coefficients[col] * quant[col] << Pass1Bits;
                for (int r = 0; r < 8; r++) ws[r * 8 + col] = dc;
                continue;
            }
            int z2 = coefficients[16 + col] * quant[16 + col];
            int z3 = coefficients[48 + col] * quant[48 + col];
            int z1 = (z2 + z3) * Fix0541196100;
            int tmp2 = z1 + z3 * -Fix1847759065;
            int tmp3 = z1 + z2 * Fix0765366865;
            z2 = coefficients[col] * quant[col];
            z3 = coefficients[32 + col] * quant[32 + col];
            int tmp0 = (z2 + z3) << ConstBits;
            int tmp1 = (z2 - z3) << ConstBits;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            tmp0 = coefficients[56 + col] * quant[56 + col];
            tmp1 = coefficients[40 + col] * quant[40 + col];
            tmp2 = coefficients[24 + col] * quant[24 + col];
            tmp3 = coefficients[8 + col] * quant[8 + col];
            Odd(ref tmp0, ref tmp1, ref tmp2, ref tmp3);

            const int shift = ConstBits - Pass1Bits, round = 1 << (shift - 1);
            ws[col] = (tmp10 + tmp3 + round) >> shift;
            ws[56 + col] = (tmp10 - tmp3 + round) >> shift;
            ws[8 + col] = (tmp11 + tmp2 + round) >> shift;
            ws[48 + col] = (tmp11 - tmp2 + round) >> shift;
            ws[16 + col] = (tmp12 + tmp1 + round) >> shift;
            ws[40 + col] = (tmp12 - tmp1 + round) >> shift;
            ws[24 + col] = (tmp13 + tmp0 + round) >> shift;
            ws[32 + col] = (tmp13 - tmp0 + round) >> shift;
        }

        for (int row = 0; row < 8; row++)
        {
            var w = ws.Slice(row * 8, 8);
            var o = output.Slice(row * stride, 8);
            int z2 = w[2], z3 = w[6];
            int z1 = (z2 + z3) * Fix0541196100;
            int tmp2 = z1 + z3 * -Fix1847759065;
            int tmp3 = z1 + z2 * Fix0765366865;
            int tmp0 = (w[0] + w[4]) << ConstBits;
            int tmp1 = (w[0] - w[4]) << ConstBits;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
            tmp0 = w[7];
            tmp1 = w[5];
            tmp2 = w[3];
            tmp3 = w[1];
            Odd(ref tmp0, ref tmp1, ref tmp2, ref tmp3);

            const int shift = ConstBits + Pass1Bits + 3, round = 1 << (shift - 1);
            o[0] = RangeLimit((tmp10 + tmp3 + round) >> shift);
            o[7] = RangeLimit((tmp10 - tmp3 + round) >> shift);
            o[1] = RangeLimit((tmp11 + tmp2 + round) >> shift);
            o[6] = RangeLimit((tmp11 - tmp2 + round) >> shift);
            o[2] = RangeLimit((tmp12 + tmp1 + round) >> shift);
            o[5] = RangeLimit((tmp12 - tmp1 + round) >> shift);
            o[3] = RangeLimit((tmp13 + tmp0 + round) >> shift);
            o[4] = RangeLimit((tmp13 - tmp0 + round) >> shift);
        }
    }

    /// <summary>The odd part shared by both passes; on return tmp0..tmp3 are the four odd outputs.</summary>
    private static void Odd(ref int tmp0, ref int tmp1, ref int tmp2, ref int tmp3)
    {
        int z1 = tmp0 + tmp3, z2 = tmp1 + tmp2, z3 = tmp0 + tmp2, z4 = tmp1 + tmp3;
        int z5 = (z3 + z4) * Fix1175875602;
        tmp0 *= Fix0298631336;
        tmp1 *= Fix2053119869;
        tmp2 *= Fix3072711026;
        tmp3 *= Fix1501321110;
        z1 *= -Fix0899976223;
        z2 *= -Fix2562915447;
        z3 *= -Fix1961570560;
        z4 *= -Fix0390180644;
        z3 += z5;
        z4 += z5;
        tmp0 += z1 + z3;
        tmp1 += z2 + z4;
        tmp2 += z2 + z3;
        tmp3 += z1 + z4;
    }

    /// <summary>libjpeg's range-limit table: adds 128, clamps to 0-255, and wraps values far outside (masking with 1023) like the table lookup does.</summary>
    private static byte RangeLimit(int x)
    {
        int v = x & 1023;
        if (v >= 512) v -= 1024;
        v += 128;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}
