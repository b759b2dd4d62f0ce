using System.Runtime.Intrinsics;

namespace CnnLens.Tensors;

/// <summary>
/// NumPy-style multidirectional broadcasting: the result shape of several operands, elementwise
/// binary kernels over broadcast operands, and the reverse step of summing a gradient back down to
/// an operand's shape.
/// </summary>
public static class Broadcasting
{
    /// <summary>The broadcast shape of two shapes (right-aligned; each pair equal or one of them 1).</summary>
    public static int[] Shape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ShapeMismatchException($"shapes {Tensor.ShapeString(a)} and {Tensor.ShapeString(b)} cannot be broadcast together");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>The broadcast shape of any number of operands.</summary>
    public static int[] Shape(IEnumerable<Tensor> operands)
    {
        int[]? shape = null;
        foreach (var t in operands) shape = shape is null ? t.ShapeArray : Shape(shape, t.Shape);
        return shape ?? [];
    }

    /// <summary>
    /// Strides for reading an operand of <paramref name="shape"/> as if it had <paramref name="target"/>'s
    /// shape: 0 on broadcast (size-1 or missing) dimensions.
    /// </summary>
    public static int[] StridesFor(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        var own = Tensor.StridesOf(shape);
        var strides = new int[target.Length];
        int offset = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            strides[i + offset] = shape[i] == 1 && target[i + offset] != 1 ? 0 : own[i];
        return strides;
    }

    /// <summary>Materialises <paramref name="x"/> broadcast to <paramref name="target"/> (keeps its data type).</summary>
    public static Tensor BroadcastTo(Tensor x, int[] target)
    {
        var check = Shape(x.Shape, target);
        if (!check.AsSpan().SequenceEqual(target))
            throw new ShapeMismatchException($"shape {Tensor.ShapeString(x.Shape)} cannot be broadcast to {Tensor.ShapeString(target)}");
        if (x.Shape.SequenceEqual(target)) return x.Clone();
        var result = Tensor.Uninitialized(target, x.DataType);
        var strides = StridesFor(x.Shape, target);
        StridedCopy.Gather(x.Data, 0, target, strides, result.Data);
        return result;
    }

    /// <summary>
    /// Sums <paramref name="gradient"/> (of a broadcast result) down to <paramref name="shape"/>: the
    /// vector-Jacobian product of broadcasting.
    /// </summary>
    public static Tensor ReduceTo(Tensor gradient, ReadOnlySpan<int> shape)
    {
        if (gradient.Shape.SequenceEqual(shape)) return gradient;
        var result = Tensor.Zeros(shape.ToArray());
        var strides = StridesFor(shape, gradient.Shape);
        StridedCopy.AccumulateInto(gradient.Data, gradient.Shape, strides, result.Data);
        return result;
    }

    /// <summary>
    /// out = op(a, b) with broadcasting. Runs of the innermost dimension use SIMD when both operands
    /// are contiguous there or one of them is constant along it.
    /// </summary>
    public static Tensor Binary<TOp>(Tensor a, Tensor b, TensorDataType resultType) where TOp : IBinaryOperation
    {
        var shape = Shape(a.Shape, b.Shape);
        var result = Tensor.Uninitialized(shape, resultType);
        Binary<TOp>(a.Data, a.Shape, b.Data, b.Shape, result.Data, shape);
        return result;
    }

    /// <summary>Span form of <see cref="Binary{TOp}(Tensor, Tensor, TensorDataType)"/>; <paramref name="shape"/> is the broadcast shape.</summary>
    public static void Binary<TOp>(float[] a, ReadOnlySpan<int> aShape, float[] b, ReadOnlySpan<int> bShape, float[] result, ReadOnlySpan<int> shape)
        where TOp : IBinaryOperation
    {
        int length = result.Length;
        if (length == 0) return;
        if (a.Length == length && b.Length == length)
        {
            Elementwise.Parallel(length, (start, end) => Elementwise.BinaryContiguous<TOp>(a.AsSpan(start, end - start), b.AsSpan(start, end - start), result.AsSpan(start, end - start)));
            return;
        }
        if (b.Length == 1)
        {
            float s = b[0];
            Elementwise.Parallel(length, (start, end) => Elementwise.BinaryScalarRight<TOp>(a.AsSpan(start, end - start), s, result.AsSpan(start, end - start)));
            return;
        }
        if (a.Length == 1)
        {
            float s = a[0];
            Elementwise.Parallel(length, (start, end) => Elementwise.BinaryScalarLeft<TOp>(s, b.AsSpan(start, end - start), result.AsSpan(start, end - start)));
            return;
        }
        // General case: collapse to (outer rows) x (innermost dim) and pick a kernel per row.
        int rank = shape.Length;
        var sa = StridesFor(aShape, shape);
        var sb = StridesFor(bShape, shape);
        int inner = shape[rank - 1];
        int rows = length / inner;
        int innerA = sa[rank - 1], innerB = sb[rank - 1];
        var shapeArray = shape.ToArray();
        Parallelism.For(rows, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                int rem = r, offA = 0, offB = 0;
                for (int d = rank - 2; d >= 0; d--)
                {
                    int i = rem % shapeArray[d];
                    rem /= shapeArray[d];
                    offA += i * sa[d];
                    offB += i * sb[d];
                }
                var dst = result.AsSpan(r * inner, inner);
                if (innerA == 1 && innerB == 1) Elementwise.BinaryContiguous<TOp>(a.AsSpan(offA, inner), b.AsSpan(offB, inner), dst);
                else if (innerA == 1) Elementwise.BinaryScalarRight<TOp>(a.AsSpan(offA, inner), b[offB], dst);
                else if (innerB == 1) Elementwise.BinaryScalarLeft<TOp>(a[offA], b.AsSpan(offB, inner), dst);
                else
                {
                    float va = a[offA], vb = b[offB];
                    for (int i = 0; i < inner; i++) dst[i] = TOp.Invoke(va, vb);
                }
            }
        }, costPerItem: inner);
    }
}
