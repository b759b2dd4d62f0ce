using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
                    int x = Avx2.IsSupported ? YCbCrToRgbAvx2(a, b, c, o) : 0;
                    for (; x < width; x++)
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

    /// <summary>
    /// The same fixed-point formulas as the tables (multiply, add one half, arithmetic shift by 16),
    /// eight pixels at a time. Returns how many pixels it converted; the caller finishes the row.
    /// </summary>
    private static int YCbCrToRgbAvx2(ReadOnlySpan<byte> luma, ReadOnlySpan<byte> blue, ReadOnlySpan<byte> red, Span<byte> rgb)
    {
        int width = luma.Length, x = 0;
        ref byte yRef = ref MemoryMarshal.GetReference(luma);
        ref byte cbRef = ref MemoryMarshal.GetReference(blue);
        ref byte crRef = ref MemoryMarshal.GetReference(red);
        ref byte outRef = ref MemoryMarshal.GetReference(rgb);
        var center = Vector256.Create(128);
        var half = Vector256.Create(Half);
        var max = Vector256.Create(255);
        // Drops the fourth byte of each 32-bit pixel: 4 pixels -> 12 bytes (the last 4 bytes of the 16 are junk).
        var pack = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
        // The 16-byte stores of the second half reach 4 bytes past its 12, so stop while a later pixel still follows.
        for (; x + 10 <= width; x += 8)
        {
            var y = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref yRef, x))).AsByte());
            var cb = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref cbRef, x))).AsByte()) - center;
            var cr = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref crRef, x))).AsByte()) - center;
            var r = y + Vector256.ShiftRightArithmetic(cr * Vector256.Create(91881) + half, ScaleBits);
            var bl = y + Vector256.ShiftRightArithmetic(cb * Vector256.Create(116130) + half, ScaleBits);
            var g = y + Vector256.ShiftRightArithmetic(cb * Vector256.Create(-22554) + half + cr * Vector256.Create(-46802), ScaleBits);
            r = Vector256.Min(Vector256.Max(r, Vector256<int>.Zero), max);
            g = Vector256.Min(Vector256.Max(g, Vector256<int>.Zero), max);
            bl = Vector256.Min(Vector256.Max(bl, Vector256<int>.Zero), max);
            var pixels = (r | Vector256.ShiftLeft(g, 8) | Vector256.ShiftLeft(bl, 16)).AsByte();
            Ssse3.Shuffle(pixels.GetLower(), pack).StoreUnsafe(ref outRef, (nuint)(3 * x));
            Ssse3.Shuffle(pixels.GetUpper(), pack).StoreUnsafe(ref outRef, (nuint)(3 * x + 12));
        }
        return x;
    }
}
