using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnLens.Tensors;

/// <summary>A float → float function with scalar and SIMD forms (static so the JIT inlines it into the loop).</summary>
public interface IUnaryOperation
{
    static abstract float Invoke(float x);
    static abstract Vector256<float> Invoke(Vector256<float> x);
    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>A (float, float) → float function with scalar and SIMD forms.</summary>
public interface IBinaryOperation
{
    static abstract float Invoke(float a, float b);
    static abstract Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    static abstract Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

/// <summary>
/// Span loops for elementwise kernels: Vector512 when the CPU has it, else Vector256, with a scalar
/// tail; <see cref="Parallel"/> splits long arrays across <see cref="Parallelism.MaxThreads"/>.
/// </summary>
public static class Elementwise
{
    /// <summary>Below this many values a loop stays on one thread (thread hand-off costs more).</summary>
    private const int ParallelBlock = 1 << 15;

    /// <summary>Runs body(start, end) over [0, length) in blocks, in parallel when long enough.</summary>
    public static void Parallel(int length, Action<int, int> body)
    {
        if (length <= ParallelBlock)
        {
            if (length > 0) body(0, length);
            return;
        }
        int blocks = (length + ParallelBlock - 1) / ParallelBlock;
        Parallelism.For(blocks, (b0, b1) => body(b0 * ParallelBlock, Math.Min(length, b1 * ParallelBlock)), costPerItem: ParallelBlock);
    }

    /// <summary>A new tensor op(x) with x's shape (and the given data type).</summary>
    public static Tensor Map<TOp>(Tensor x, TensorDataType resultType = TensorDataType.Float32) where TOp : IUnaryOperation
    {
        var result = Tensor.Uninitialized(x.ShapeArray, resultType);
        var src = x.Data;
        var dst = result.Data;
        Parallel(src.Length, (s, e) => Unary<TOp>(src.AsSpan(s, e - s), dst.AsSpan(s, e - s)));
        return result;
    }

    /// <summary>A new tensor op(a, b) of two same-shaped tensors.</summary>
    public static Tensor Zip<TOp>(Tensor a, Tensor b) where TOp : IBinaryOperation =>
        Broadcasting.Binary<TOp>(a, b, TensorDataType.Float32);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unary<TOp>(ReadOnlySpan<float> x, Span<float> result) where TOp : IUnaryOperation
    {
        int i = 0;
        ref float xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref float rs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(result);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                TOp.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                TOp.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
        }
        for (; i < x.Length; i++) result[i] = TOp.Invoke(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BinaryContiguous<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> result) where TOp : IBinaryOperation
    {
        int i = 0;
        ref float ar = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
        ref float br = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
        ref float rr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(result);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                TOp.Invoke(Vector512.LoadUnsafe(ref ar, (nuint)i), Vector512.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref rr, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                TOp.Invoke(Vector256.LoadUnsafe(ref ar, (nuint)i), Vector256.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref rr, (nuint)i);
        }
        for (; i < a.Length; i++) result[i] = TOp.Invoke(a[i], b[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BinaryScalarRight<TOp>(ReadOnlySpan<float> a, float b, Span<float> result) where TOp : IBinaryOperation
    {
        int i = 0;
        ref float ar = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
        ref float rr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(result);
        if (Vector512.IsHardwareAccelerated)
        {
            var vb = Vector512.Create(b);
            for (; i <= a.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                TOp.Invoke(Vector512.LoadUnsafe(ref ar, (nuint)i), vb).StoreUnsafe(ref rr, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vb = Vector256.Create(b);
            for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                TOp.Invoke(Vector256.LoadUnsafe(ref ar, (nuint)i), vb).StoreUnsafe(ref rr, (nuint)i);
        }
        for (; i < a.Length; i++) result[i] = TOp.Invoke(a[i], b);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BinaryScalarLeft<TOp>(float a, ReadOnlySpan<float> b, Span<float> result) where TOp : IBinaryOperation
    {
        int i = 0;
        ref float br = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
        ref float rr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(result);
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i <= b.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                TOp.Invoke(va, Vector512.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref rr, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i <= b.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                TOp.Invoke(va, Vector256.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref rr, (nuint)i);
        }
        for (; i < b.Length; i++) result[i] = TOp.Invoke(a, b[i]);
    }

    /// <summary>destination += source.</summary>
    public static void AddInPlace(Span<float> destination, ReadOnlySpan<float> source) =>
        BinaryContiguous<AddOperation>(destination, source, destination);

    /// <summary>Sum of the values, accumulated in SIMD lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(ReadOnlySpan<float> x)
    {
        int i = 0;
        float total = 0;
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count) acc += Vector512.Create(x.Slice(i, Vector512<float>.Count));
            total = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count) acc += Vector256.Create(x.Slice(i, Vector256<float>.Count));
            total = Vector256.Sum(acc);
        }
        for (; i < x.Length; i++) total += x[i];
        return total;
    }

    /// <summary>Largest value (−∞ for an empty span).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Max(ReadOnlySpan<float> x)
    {
        int i = 0;
        float best = float.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            var acc = Vector512.Create(float.NegativeInfinity);
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count) acc = Vector512.Max(acc, Vector512.Create(x.Slice(i, Vector512<float>.Count)));
            for (int k = 0; k < Vector512<float>.Count; k++) best = Math.Max(best, acc[k]);
        }
        for (; i < x.Length; i++) best = Math.Max(best, x[i]);
        return best;
    }

    /// <summary>Σ a·b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float total = 0;
        if (Vector512.IsHardwareAccelerated && a.Length >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= a.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                acc = Vector512.FusedMultiplyAdd(Vector512.Create(a.Slice(i, Vector512<float>.Count)), Vector512.Create(b.Slice(i, Vector512<float>.Count)), acc);
            total = Vector512.Sum(acc);
        }
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }
}
