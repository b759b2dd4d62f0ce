using System.Runtime.CompilerServices;
namespace CnnLens.Tensors;

/// <summary>
/// Copies between a contiguous buffer and a strided view of another buffer (transposes, slices,
/// broadcasts). Whenever the innermost view stride is 1 the runs are copied with Span.CopyTo.
/// </summary>
public static class StridedCopy
{
    /// <summary>
    /// destination[i] = source[offset + Σ index_d · strides_d] for every index of <paramref name="shape"/>,
    /// destination being contiguous row-major.
    /// </summary>
    public static void Gather(float[] source, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<float> destination)
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            if (destination.Length > 0) destination[0] = source[offset];
            return;
        }
        int inner = shape[rank - 1];
        int total = Tensor.CheckedLength(shape);
        if (inner == 0 || total == 0) return;
        int rows = total / inner;
        if (total < 1 << 16)
        {
            GatherRows(source, offset, shape, strides, destination, 0, rows);
            return;
        }
        // Large copies (transposes, broadcasts of activations) split their rows across threads.
        var shapeArray = shape.ToArray();
        var strideArray = strides.ToArray();
        unsafe
        {
            fixed (float* pointer = destination)
            {
                nint address = (nint)pointer;
                int length = destination.Length;
                Parallelism.For(rows, (r0, r1) =>
                    GatherRows(source, offset, shapeArray, strideArray, new Span<float>((float*)address, length), r0, r1), costPerItem: inner);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherRows(float[] source, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<float> destination, int firstRow, int endRow)
    {
        int rank = shape.Length;
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        Span<int> index = stackalloc int[rank];
        // Start the odometer at firstRow.
        int rowOffset = offset;
        for (int d = rank - 2, rem = firstRow; d >= 0; d--)
        {
            index[d] = rem % shape[d];
            rem /= shape[d];
            rowOffset += index[d] * strides[d];
        }
        for (int r = firstRow; r < endRow; r++)
        {
            var dst = destination.Slice(r * inner, inner);
            if (innerStride == 1) source.AsSpan(rowOffset, inner).CopyTo(dst);
            else if (innerStride == 0) dst.Fill(source[rowOffset]);
            else
            {
                int o = rowOffset;
                for (int i = 0; i < inner; i++, o += innerStride) dst[i] = source[o];
            }
            // Odometer over the outer dimensions.
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                rowOffset += strides[d];
                if (index[d] < shape[d]) break;
                rowOffset -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>
    /// The transpose of <see cref="Gather"/>: destination[offset + Σ index_d · strides_d] = source[i]
    /// (overwrites; positions must be distinct).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scatter(ReadOnlySpan<float> source, ReadOnlySpan<int> shape, float[] destination, int offset, ReadOnlySpan<int> strides)
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            if (source.Length > 0) destination[offset] = source[0];
            return;
        }
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int total = Tensor.CheckedLength(shape);
        if (inner == 0 || total == 0) return;
        int rows = total / inner;
        Span<int> index = stackalloc int[rank];
        int rowOffset = offset;
        for (int r = 0; r < rows; r++)
        {
            var src = source.Slice(r * inner, inner);
            if (innerStride == 1) src.CopyTo(destination.AsSpan(rowOffset, inner));
            else
            {
                int o = rowOffset;
                for (int i = 0; i < inner; i++, o += innerStride) destination[o] = src[i];
            }
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                rowOffset += strides[d];
                if (index[d] < shape[d]) break;
                rowOffset -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>
    /// destination[Σ index_d · strides_d] += source[i] for every index of <paramref name="shape"/>
    /// (strides may be 0, which sums over that dimension).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateInto(ReadOnlySpan<float> source, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<float> destination)
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            destination[0] += source[0];
            return;
        }
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int total = Tensor.CheckedLength(shape);
        if (inner == 0 || total == 0) return;
        int rows = total / inner;
        Span<int> index = stackalloc int[rank];
        int rowOffset = 0;
        for (int r = 0; r < rows; r++)
        {
            var src = source.Slice(r * inner, inner);
            if (innerStride == 1) Elementwise.AddInPlace(destination.Slice(rowOffset, inner), src);
            else if (innerStride == 0) destination[rowOffset] += Elementwise.Sum(src);
            else
            {
                int o = rowOffset;
                for (int i = 0; i < inner; i++, o += innerStride) destination[o] += src[i];
            }
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                rowOffset += strides[d];
                if (index[d] < shape[d]) break;
                rowOffset -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
    }
}
