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
                VectorLoops.CopyEven(inRow + 2L * first, row + first, last - first);
            else
                for (int ow = first; ow < last; ow++) row[ow] = inRow[ow * strideW];
            for (int ow = last; ow < outW; ow++) row[ow] = 0f;
        }
    }

    /// <summary>
    /// Adds the patch-matrix columns of output rows [<paramref name="firstRow"/>, <paramref name="endRow"/>)
    /// only (laid out as <see cref="UnfoldRows"/> writes them) back onto the input positions they were read from,
    /// on the calling thread, for the first
    /// <paramref name="channels"/> planes from <paramref name="input"/> (the matrix's rows of those channels).
    /// </summary>
    public static void FoldAddRows(ConvolutionGeometry g, float* columns, float* input, int channels, int firstRow, int endRow)
    {
        int kernelArea = g.KernelHeight * g.KernelWidth;
        int width = (endRow - firstRow) * g.OutWidth;
        for (int row = 0; row < channels * kernelArea; row++)
        {
            int c = row / kernelArea, kh = row % kernelArea / g.KernelWidth, kw = row % g.KernelWidth;
            FoldRow(g, input + (long)c * g.InSpatial, kh, kw, columns + (long)row * width, firstRow, endRow);
        }
    }

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
            if (strideW == 1) VectorLoops.Add(inRow + first, row + first, last - first);
            else if (strideW == 2) VectorLoops.AddToEven(inRow + 2L * first, row + first, last - first);
            else for (int ow = first; ow < last; ow++) inRow[ow * strideW] += row[ow];
        }
    }
}
