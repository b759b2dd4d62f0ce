using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnLens.Tensors.Kernels;

/// <summary>Small SIMD loops on raw float runs, shared by the direct (non-GEMM) kernels.</summary>
internal static unsafe class VectorLoops
{
    /// <summary>destination[i] += scale * source[i * stride].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float* destination, float* source, int stride, float scale, int count)
    {
        int i = 0;
        if (stride == 1)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var s = Vector512.Create(scale);
                for (; i <= count - 16; i += 16)
                    Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(source + i), s, Vector512.Load(destination + i)), destination + i);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var s = Vector256.Create(scale);
                for (; i <= count - 8; i += 8)
                    Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(source + i), s, Vector256.Load(destination + i)), destination + i);
            }
            for (; i < count; i++) destination[i] += scale * source[i];
            return;
        }
        for (; i < count; i++) destination[i] += scale * source[(long)i * stride];
    }

    /// <summary>destination[i * stride] += scale * source[i] (the transpose of <see cref="MultiplyAdd"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScatterMultiplyAdd(float* destination, int stride, float* source, float scale, int count)
    {
        if (stride == 1)
        {
            MultiplyAdd(destination, source, 1, scale, count);
            return;
        }
        for (int i = 0; i < count; i++) destination[(long)i * stride] += scale * source[i];
    }

    /// <summary>destination[i] += source[i] (col2im at stride 1): rows are often only 7-28 wide, so 8 at a time too.</summary>
    public static void Add(float* destination, float* source, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= count - 16; i += 16)
                Vector512.Store(Vector512.Load(destination + i) + Vector512.Load(source + i), destination + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= count - 8; i += 8)
                Vector256.Store(Vector256.Load(destination + i) + Vector256.Load(source + i), destination + i);
        for (; i < count; i++) destination[i] += source[i];
    }

    /// <summary>
    /// destination[i] = source[2 * i] (im2col at stride 2), 16 at a time with AVX-512. Reads no further than
    /// source[2 * (count - 1)]: the vector loop stops while a whole 32-value window is still inside.
    /// </summary>
    public static void CopyEven(float* source, float* destination, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
            for (; i + 16 < count; i += 16)
                Vector512.Store(Avx512F.PermuteVar16x32x2(Vector512.Load(source + 2 * i), EvenLanes, Vector512.Load(source + 2 * i + 16)), destination + i);
        for (; i < count; i++) destination[i] = source[2 * i];
    }

    private static readonly Vector512<int> EvenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> OddLanes = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);

    /// <summary>
    /// even[i] = source[2 * i], odd[i] = source[2 * i + 1] for i &lt; pairs: a row split into its two column
    /// phases (Winograd's tiles, stride-2 max pool), 16 pairs per two permutes. Reads source[0, 2 * pairs) only.
    /// </summary>
    public static void SplitEvenOdd(float* source, float* even, float* odd, int pairs)
    {
        int i = 0;
        if (Avx512F.IsSupported)
            for (; i + 16 <= pairs; i += 16)
            {
                var low = Vector512.Load(source + 2 * i);
                var high = Vector512.Load(source + 2 * i + 16);
                Vector512.Store(Avx512F.PermuteVar16x32x2(low, EvenLanes, high), even + i);
                Vector512.Store(Avx512F.PermuteVar16x32x2(low, OddLanes, high), odd + i);
            }
        for (; i < pairs; i++)
        {
            even[i] = source[2 * i];
            odd[i] = source[2 * i + 1];
        }
    }

    /// <summary>
    /// destination[2 * i] += source[i] (col2im at stride 2), 16 at a time with AVX-512; the odd values in
    /// between are rewritten unchanged. Touches no further than destination[2 * (count - 1)].
    /// </summary>
    public static void AddToEven(float* destination, float* source, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            // Source values to even lanes, zeros (index 16 up: the second operand) to odd lanes.
            var low = Vector512.Create(0, 16, 1, 16, 2, 16, 3, 16, 4, 16, 5, 16, 6, 16, 7, 16);
            var high = Vector512.Create(8, 16, 9, 16, 10, 16, 11, 16, 12, 16, 13, 16, 14, 16, 15, 16);
            var even = Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0).AsSingle();
            for (; i + 16 < count; i += 16)
            {
                var values = Vector512.Load(source + i);
                float* d = destination + 2 * i;
                var first = Vector512.Load(d);
                var second = Vector512.Load(d + 16);
                // Selecting keeps the odd lanes bit for bit (adding 0 would turn -0 into +0).
                Vector512.Store(Vector512.ConditionalSelect(even, first + Avx512F.PermuteVar16x32x2(values, low, Vector512<float>.Zero), first), d);
                Vector512.Store(Vector512.ConditionalSelect(even, second + Avx512F.PermuteVar16x32x2(values, high, Vector512<float>.Zero), second), d + 16);
            }
        }
        for (; i < count; i++) destination[2 * i] += source[i];
    }

    /// <summary>Sum of a[i] * b[i * stride], accumulated in double to keep long gradient sums exact enough.</summary>
    public static double Dot(float* a, float* b, int stride, int count)
    {
        int i = 0;
        double total = 0;
        if (stride == 1 && Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= count - 16; i += 16)
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), acc);
            total = Vector512.Sum(acc);
        }
        for (; i < count; i++) total += (double)a[i] * b[(long)i * stride];
        return total;
    }

    /// <summary>destination[i] = source[i] * scale + shift.</summary>
    public static void ScaleShift(float* source, float* destination, float scale, float shift, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> s = Vector512.Create(scale), t = Vector512.Create(shift);
            for (; i <= count - 16; i += 16)
                Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(source + i), s, t), destination + i);
        }
        for (; i < count; i++) destination[i] = source[i] * scale + shift;
    }

    /// <summary>Sum of a run of values.</summary>
    public static double Sum(float* values, int count)
    {
        int i = 0;
        double total = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= count - 16; i += 16) acc += Vector512.Load(values + i);
            total = Vector512.Sum(acc);
        }
        for (; i < count; i++) total += values[i];
        return total;
    }
}
