using CnnLens.Imaging.Codecs.Jpeg;

namespace CnnLens.Tests.Imaging;

/// <summary>The vectorised islow IDCT must equal the scalar one on every input, including extreme coefficients.</summary>
public class ImagingInverseDctTests
{
    [Fact]
    public void Avx2Idct_EqualsScalarIdct_OnRandomAndExtremeBlocks()
    {
        if (!JpegInverseDctAvx2.IsSupported) return;
        var rng = new Random(5);
        var coefficients = new short[64];
        var quant = new ushort[64];
        var scalar = new byte[8 * 12];
        var vector = new byte[8 * 12];
        for (int trial = 0; trial < 20000; trial++)
        {
            int kind = trial % 4;
            for (int i = 0; i < 64; i++)
            {
                quant[i] = (ushort)(kind == 3 ? rng.Next(1, 65536) : rng.Next(1, 100));
                coefficients[i] = kind switch
                {
                    0 => (short)(rng.Next(8) == 0 ? rng.Next(-60, 60) : 0),
                    1 => (short)(i == 0 ? rng.Next(-2048, 2048) : 0),
                    _ => (short)rng.Next(short.MinValue, short.MaxValue + 1),
                };
            }
            JpegInverseDct.Transform(coefficients, quant, scalar, 12);
            JpegInverseDctAvx2.Transform(coefficients, quant, vector, 12);
            for (int r = 0; r < 8; r++)
                Assert.True(scalar.AsSpan(r * 12, 8).SequenceEqual(vector.AsSpan(r * 12, 8)), $"trial {trial} row {r}");
        }
    }
}
