using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnLens.Tensors.Kernels;

/// <summary>
/// Unfolds one group of one image into the patch matrix a convolution multiplies by its weights
/// (rows = channel x kernel offset, columns = output positions), and folds such a matrix back by
/// summation (col2im, for the data gradient and ConvTranspose).
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>Writes the (C/groups * kH * kW) x (outH * outW) patch matrix of <paramref name="input"/> (the group's first plane).</summary>
    public static void Unfold(ConvolutionGeometry g, float* input, float* columns)
    {
        int kernelArea = g.KernelHeight * g.KernelWidth;
        nint source = (nint)input, destination = (nint)columns;
        Parallelism.For(g.PatchSize, (start, end) =>
        {
            for (int row = start; row < end; row++)
            {
                int c = row / kernelArea, kh = row % kernelArea / g.KernelWidth, kw = row % g.KernelWidth;
                UnfoldRow(g, (float*)source + (long)c * g.InSpatial, kh, kw, (float*)destination + (long)row * g.OutSpatial);
            }
        }, g.OutSpatial);
    }

    /// <summary>
    /// The patch-matrix columns of output rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) only, on the
    /// calling thread: (C/groups * kH * kW) rows of (endRow - firstRow) * outW values, small enough to stay in L2.
    /// </summary>
    public static void UnfoldRows(ConvolutionGeometry g, float* input, float* columns, int firstRow, int endRow)
    {
        int kernelArea = g.KernelHeight * g.KernelWidth;
        int width = (endRow - firstRow) * g.OutWidth;
        for (int row = 0; row < g.PatchSize; row++)
        {
            int c = row / kernelArea, kh = row % kernelArea / g.KernelWidth, kw = row % g.KernelWidth;
            UnfoldRow(g, input + (long)c * g.InSpatial, kh, kw, columns + (long)row * width, firstRow, endRow);
        }
    }

    private static void UnfoldRow(ConvolutionGeometry g, float* plane, int kh, int kw, float* row) =>
        UnfoldRow(g, plane, kh, kw, row, 0, g.OutHeight);

    private static void UnfoldRow(ConvolutionGeometry g, float* plane, int kh, int kw, float* row, int firstRow, int endRow)
    {
        int outW = g.OutWidth, inW = g.InWidth, strideW = g.StrideWidth;
        int colOffset = kw * g.DilationWidth - g.PadLeft;
        // Output columns whose input column lands inside the image: ow in [first, last).
        int first = Math.Min(outW, colOffset >= 0 ? 0 : (-colOffset + strideW - 1) / strideW);
        int last = Math.Max(first, inW - colOffset <= 0 ? 0 : Math.Min(outW, (inW - colOffset - 1) / strideW + 1));
        for (int oh = firstRow; oh < endRow; oh++, row += outW)
        {
            int ih = oh * g.StrideHeight + kh * g.DilationHeight - g.PadTop;
            if ((uint)ih >= (uint)g.InHeight)
            {
                new Span<float>(row, outW).Clear();
                continue;
            }
            float* inRow = plane + (long)ih * inW + colOffset;
            for (int ow = 0; ow < first; ow++) row[ow] = 0f;
            if (strideW == 1)
                new ReadOnlySpan<float>(inRow + first, last - first).CopyTo(new Span<float>(row + first, last - first));
            else if (strideW == 2)
                GatherEven(inRow + 2 * first, row + first, last - first);
            else
                for (int ow = first; ow < last; ow++) row[ow] = inRow[ow * strideW];
            for (int ow = last; ow < outW; ow++) row[ow] = 0f;
        }
    }

    /// <summary>Adds every patch-matrix entry back onto the input position it was read from.</summary>
    public static void FoldAdd(ConvolutionGeometry g, float* columns, float* input)
    {
        int kernelArea = g.KernelHeight * g.KernelWidth;
        nint source = (nint)columns, destination = (nint)input;
        // Threads own whole channels so no two write the same input plane.
        Parallelism.For(g.InChannelsPerGroup, (start, end) =>
        {
            for (int c = start; c < end; c++)
                for (int k = 0; k < kernelArea; k++)
                    FoldRow(g, (float*)destination + (long)c * g.InSpatial, k / g.KernelWidth, k % g.KernelWidth,
                        (float*)source + ((long)c * kernelArea + k) * g.OutSpatial);
        }, (double)kernelArea * g.OutSpatial);
    }

    /// <summary>
    /// <see cref="FoldAdd"/> for the patch-matrix columns of output rows [<paramref name="firstRow"/>, <paramref name="endRow"/>)
    /// only (laid out as <see cref="UnfoldRows"/> writes them), on the calling thread.
    /// </summary>
    public static void FoldAddRows(ConvolutionGeometry g, float* columns, float* input, int firstRow, int endRow)
    {
        int kernelArea = g.KernelHeight * g.KernelWidth;
        int width = (endRow - firstRow) * g.OutWidth;
        for (int row = 0; row < g.PatchSize; row++)
        {
            int c = row / kernelArea, kh = row % kernelArea / g.KernelWidth, kw = row % g.KernelWidth;
            FoldRow(g, input + (long)c * g.InSpatial, kh, kw, columns + (long)row * width, firstRow, endRow);
        }
    }

    private static void FoldRow(ConvolutionGeometry g, float* plane, int kh, int kw, float* row) =>
        FoldRow(g, plane, kh, kw, row, 0, g.OutHeight);

    private static void FoldRow(ConvolutionGeometry g, float* plane, int kh, int kw, float* row, int firstRow, int endRow)
    {
        int outW = g.OutWidth, inW = g.InWidth, strideW = g.StrideWidth;
        int colOffset = kw * g.DilationWidth - g.PadLeft;
        int first = Math.Min(outW, colOffset >= 0 ? 0 : (-colOffset + strideW - 1) / strideW);
        int last = Math.Max(first, inW - colOffset <= 0 ? 0 : Math.Min(outW, (inW - colOffset - 1) / strideW + 1));
        for (int oh = firstRow; oh < endRow; oh++, row += outW)
        {
            int ih = oh * g.StrideHeight + kh * g.DilationHeight - g.PadTop;
            if ((uint)ih >= (uint)g.InHeight) continue;
            float* inRow = plane + (long)ih * inW + colOffset;
            if (strideW == 2) ScatterAddEven(row + first, inRow + 2 * first, last - first);
            else
                for (int ow = first; ow < last; ow++) inRow[ow * strideW] += row[ow];
        }
    }

    private static readonly Vector512<int> EvenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> SpreadLow = Vector512.Create(0, 16, 1, 16, 2, 16, 3, 16, 4, 16, 5, 16, 6, 16, 7, 16);
    private static readonly Vector512<int> SpreadHigh = Vector512.Create(8, 16, 9, 16, 10, 16, 11, 16, 12, 16, 13, 16, 14, 16, 15, 16);

    /// <summary>
    /// row[i] = source[2 i] for i &lt; count (stride-2 convolutions such as ResNet's stem): 32 values
    /// loaded, the even ones kept by one permute. Never reads past source[2 count - 2].
    /// </summary>
    private static void GatherEven(float* source, float* row, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
            for (; i + 16 < count; i += 16)
                Vector512.Store(Avx512F.PermuteVar16x32x2(Vector512.Load(source + 2 * i), EvenLanes, Vector512.Load(source + 2 * i + 16)), row + i);
        for (; i < count; i++) row[i] = source[2 * i];
    }

    /// <summary>
    /// target[2 i] += row[i] for i &lt; count (the fold of a stride-2 row): the values are spread over
    /// the even lanes of two vectors with zeros between and added to 32 target values at once.
    /// Never touches past target[2 count - 2].
    /// </summary>
    private static void ScatterAddEven(float* row, float* target, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
            for (; i + 16 < count; i += 16)
            {
                var values = Vector512.Load(row + i);
                float* t = target + 2 * i;
                Vector512.Store(Vector512.Load(t) + Avx512F.PermuteVar16x32x2(values, SpreadLow, Vector512<float>.Zero), t);
                Vector512.Store(Vector512.Load(t + 16) + Avx512F.PermuteVar16x32x2(values, SpreadHigh, Vector512<float>.Zero), t + 16);
            }
        for (; i < count; i++) target[2 * i] += row[i];
    }
}
