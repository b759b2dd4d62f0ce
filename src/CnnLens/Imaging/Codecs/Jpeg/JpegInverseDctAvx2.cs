using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>
/// The same "islow" inverse DCT as <see cref="JpegInverseDct"/>, eight columns (then eight rows)
/// at a time in AVX2 int32 lanes. Every operation is the scalar one lane-wise (32-bit multiply,
/// add, arithmetic shift), so results are identical; the scalar version's all-zero shortcuts give
/// the same numbers as the full formulas, which is why this path can skip them.
/// </summary>
internal static class JpegInverseDctAvx2
{
    public static bool IsSupported => Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load(ReadOnlySpan<short> c, ReadOnlySpan<ushort> q, int row)
    {
        var coefficients = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(c), (nuint)(row * 8)));
        var quant = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(q), (nuint)(row * 8)));
        return Avx2.MultiplyLow(coefficients, quant);
    }

    public static void Transform(ReadOnlySpan<short> coefficients, ReadOnlySpan<ushort> quant, Span<byte> output, int stride)
    {
        if (coefficients.Length < 64 || quant.Length < 64 || output.Length < 7 * stride + 8) throw new ArgumentException("block buffers too small");
        var r0 = Load(coefficients, quant, 0);
        var r1 = Load(coefficients, quant, 1);
        var r2 = Load(coefficients, quant, 2);
        var r3 = Load(coefficients, quant, 3);
        var r4 = Load(coefficients, quant, 4);
        var r5 = Load(coefficients, quant, 5);
        var r6 = Load(coefficients, quant, 6);
        var r7 = Load(coefficients, quant, 7);

        // Pass 1: columns in lanes; descale by CONST_BITS - PASS1_BITS = 11.
        Pass(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, 11);
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        // Pass 2: rows in lanes; descale by CONST_BITS + PASS1_BITS + 3 = 18.
        Pass(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, 18);
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);

        var b0 = Vector256.Narrow(Vector256.Narrow(Limit(r0), Limit(r1)).AsUInt16(), Vector256.Narrow(Limit(r2), Limit(r3)).AsUInt16()).AsUInt64();
        var b1 = Vector256.Narrow(Vector256.Narrow(Limit(r4), Limit(r5)).AsUInt16(), Vector256.Narrow(Limit(r6), Limit(r7)).AsUInt16()).AsUInt64();
        ref byte o = ref MemoryMarshal.GetReference(output);
        Unsafe.WriteUnaligned(ref o, b0.GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, stride), b0.GetElement(1));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 2 * stride), b0.GetElement(2));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 3 * stride), b0.GetElement(3));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 4 * stride), b1.GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 5 * stride), b1.GetElement(1));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 6 * stride), b1.GetElement(2));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 7 * stride), b1.GetElement(3));
    }

    /// <summary>libjpeg's range limit: wrap to [-512, 511] (the 1023 mask of its table), add 128, clamp to 0..255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Limit(Vector256<int> x)
    {
        var wrapped = ((x + Vector256.Create(512)) & Vector256.Create(1023)) - Vector256.Create(512 - 128);
        return Vector256.Min(Vector256.Max(wrapped, Vector256<int>.Zero), Vector256.Create(255));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass(ref Vector256<int> i0, ref Vector256<int> i1, ref Vector256<int> i2, ref Vector256<int> i3,
        ref Vector256<int> i4, ref Vector256<int> i5, ref Vector256<int> i6, ref Vector256<int> i7, byte shift)
    {
        var z2 = i2;
        var z3 = i6;
        var z1 = (z2 + z3) * Vector256.Create(4433);
        var tmp2 = z1 + z3 * Vector256.Create(-15137);
        var tmp3 = z1 + z2 * Vector256.Create(6270);
        var tmp0 = Vector256.ShiftLeft(i0 + i4, 13);
        var tmp1 = Vector256.ShiftLeft(i0 - i4, 13);
        var tmp10 = tmp0 + tmp3;
        var tmp13 = tmp0 - tmp3;
        var tmp11 = tmp1 + tmp2;
        var tmp12 = tmp1 - tmp2;

        tmp0 = i7;
        tmp1 = i5;
        tmp2 = i3;
        tmp3 = i1;
        z1 = tmp0 + tmp3;
        z2 = tmp1 + tmp2;
        z3 = tmp0 + tmp2;
        var z4 = tmp1 + tmp3;
        var z5 = (z3 + z4) * Vector256.Create(9633);
        tmp0 *= Vector256.Create(2446);
        tmp1 *= Vector256.Create(16819);
        tmp2 *= Vector256.Create(25172);
        tmp3 *= Vector256.Create(12299);
        z1 *= Vector256.Create(-7373);
        z2 *= Vector256.Create(-20995);
        z3 = z3 * Vector256.Create(-16069) + z5;
        z4 = z4 * Vector256.Create(-3196) + z5;
        tmp0 += z1 + z3;
        tmp1 += z2 + z4;
        tmp2 += z2 + z3;
        tmp3 += z1 + z4;

        var round = Vector256.Create(1 << (shift - 1));
        i0 = Vector256.ShiftRightArithmetic(tmp10 + tmp3 + round, shift);
        i7 = Vector256.ShiftRightArithmetic(tmp10 - tmp3 + round, shift);
        i1 = Vector256.ShiftRightArithmetic(tmp11 + tmp2 + round, shift);
        i6 = Vector256.ShiftRightArithmetic(tmp11 - tmp2 + round, shift);
        i2 = Vector256.ShiftRightArithmetic(tmp12 + tmp1 + round, shift);
        i5 = Vector256.ShiftRightArithmetic(tmp12 - tmp1 + round, shift);
        i3 = Vector256.ShiftRightArithmetic(tmp13 + tmp0 + round, shift);
        i4 = Vector256.ShiftRightArithmetic(tmp13 - tmp0 + round, shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref Vector256<int> r0, ref Vector256<int> r1, ref Vector256<int> r2, ref Vector256<int> r3,
        ref Vector256<int> r4, ref Vector256<int> r5, ref Vector256<int> r6, ref Vector256<int> r7)
    {
        var t0 = Avx2.UnpackLow(r0, r1);
        var t1 = Avx2.UnpackHigh(r0, r1);
        var t2 = Avx2.UnpackLow(r2, r3);
        var t3 = Avx2.UnpackHigh(r2, r3);
        var t4 = Avx2.UnpackLow(r4, r5);
        var t5 = Avx2.UnpackHigh(r4, r5);
        var t6 = Avx2.UnpackLow(r6, r7);
        var t7 = Avx2.UnpackHigh(r6, r7);
        var u0 = Avx2.UnpackLow(t0.AsInt64(), t2.AsInt64()).AsInt32();
        var u1 = Avx2.UnpackHigh(t0.AsInt64(), t2.AsInt64()).AsInt32();
        var u2 = Avx2.UnpackLow(t1.AsInt64(), t3.AsInt64()).AsInt32();
        var u3 = Avx2.UnpackHigh(t1.AsInt64(), t3.AsInt64()).AsInt32();
        var u4 = Avx2.UnpackLow(t4.AsInt64(), t6.AsInt64()).AsInt32();
        var u5 = Avx2.UnpackHigh(t4.AsInt64(), t6.AsInt64()).AsInt32();
        var u6 = Avx2.UnpackLow(t5.AsInt64(), t7.AsInt64()).AsInt32();
        var u7 = Avx2.UnpackHigh(t5.AsInt64(), t7.AsInt64()).AsInt32();
        r0 = Avx2.Permute2x128(u0, u4, 0x20);
        r4 = Avx2.Permute2x128(u0, u4, 0x31);
        r1 = Avx2.Permute2x128(u1, u5, 0x20);
        r5 = Avx2.Permute2x128(u1, u5, 0x31);
        r2 = Avx2.Permute2x128(u2, u6, 0x20);
        r6 = Avx2.Permute2x128(u2, u6, 0x31);
        r3 = Avx2.Permute2x128(u3, u7, 0x20);
        r7 = Avx2.Permute2x128(u3, u7, 0x31);
    }
}
