using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
