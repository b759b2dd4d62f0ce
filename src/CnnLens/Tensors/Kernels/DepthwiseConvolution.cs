using System.Buffers;
using System.Runtime.Intrinsics;

namespace CnnLens.Tensors.Kernels;

/// <summary>
/// Direct depthwise convolution (one kH x kW filter per channel), forward and both gradients.
/// Each plane is first copied into a zero-padded buffer so the inner loops need no bounds tests
/// and, at stride 1, run as contiguous SIMD multiply-adds over an output row.
/// </summary>
internal static unsafe class DepthwiseConvolution
{
    /// <summary>
    /// The padded plane is stored split by column phase (column mod stride), so every tap of every
    /// stride reads a contiguous run; rows are rounded up to whole vectors, so no loop has a tail.
    /// </summary>
    public static void Forward(ConvolutionGeometry g, float* input, float* weights, float* bias, float* output)
    {
        nint x = (nint)input, w = (nint)weights, b = (nint)bias, y = (nint)output;
        int stride = g.StrideWidth;
        int roundedWidth = Gemm.RoundUp(g.OutWidth, 16);
        int phaseWidth = roundedWidth + (g.KernelWidth - 1) * g.DilationWidth / stride + 1;
        int paddedHeight = g.InHeight + g.PadTop + g.PadBottom;
        int phasedLength = paddedHeight * stride * phaseWidth;
        Parallelism.For(g.Batch * g.InChannels, (start, end) =>
        {
            var buffer = ArrayPool<float>.Shared.Rent(phasedLength + roundedWidth);
            try
            {
                int tapCount = g.KernelHeight * g.KernelWidth;
                int* tapOffsets = stackalloc int[tapCount];
                TapOffsets(g, phaseWidth, tapOffsets);
                fixed (float* phased = buffer)
                {
                    float* accumulator = phased + phasedLength;
                    for (int plane = start; plane < end; plane++)
                    {
                        int c = plane % g.InChannels;
                        CopyPhased(g, (float*)x + (long)plane * g.InSpatial, phased, phaseWidth, phasedLength);
                        float* filter = (float*)w + (long)c * g.KernelHeight * g.KernelWidth;
                        float biasValue = b == 0 ? 0f : ((float*)b)[c];
                        float* outRow = (float*)y + (long)plane * g.OutSpatial;
                        for (int oh = 0; oh < g.OutHeight; oh++, outRow += g.OutWidth)
                        {
                            if (Vector512.IsHardwareAccelerated)
                                RowVector512(phased + (long)oh * g.StrideHeight * stride * phaseWidth, tapOffsets, tapCount,
                                    filter, biasValue, accumulator, roundedWidth);
                            else
                            {
                                new Span<float>(accumulator, roundedWidth).Fill(biasValue);
                                for (int kh = 0; kh < g.KernelHeight; kh++)
                                {
                                    int row = oh * g.StrideHeight + kh * g.DilationHeight;
                                    for (int kw = 0; kw < g.KernelWidth; kw++)
                                    {
                                        int offset = kw * g.DilationWidth;
                                        float* source = phased + ((long)row * stride + offset % stride) * phaseWidth + offset / stride;
                                        VectorLoops.MultiplyAdd(accumulator, source, 1, filter[kh * g.KernelWidth + kw], roundedWidth);
                                    }
                                }
                            }
                            new ReadOnlySpan<float>(accumulator, g.OutWidth).CopyTo(new Span<float>(outRow, g.OutWidth));
                        }
                    }
                }
            }
            finally { ArrayPool<float>.Shared.Return(buffer); }
        }, 2.0 * g.OutSpatial * g.KernelHeight * g.KernelWidth);
    }

    /// <summary>One output row, sixteen outputs at a time with the accumulator held in a register across all taps.</summary>
    private static void RowVector512(float* rowBase, int* tapOffsets, int tapCount, float* filter, float bias,
        float* accumulator, int roundedWidth)
    {
        for (int ow = 0; ow < roundedWidth; ow += 16)
        {
            var sum = Vector512.Create(bias);
            float* column = rowBase + ow;
            for (int t = 0; t < tapCount; t++)
                sum = Vector512.FusedMultiplyAdd(Vector512.Load(column + tapOffsets[t]), Vector512.Create(filter[t]), sum);
            sum.Store(accumulator + ow);
        }
    }

    /// <summary>Where each tap's contiguous run starts in the phased plane, relative to its output row's first input row.</summary>
    private static void TapOffsets(ConvolutionGeometry g, int phaseWidth, int* offsets)
    {
        int stride = g.StrideWidth;
        for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                int offset = kw * g.DilationWidth;
                offsets[kh * g.KernelWidth + kw] = (kh * g.DilationHeight * stride + offset % stride) * phaseWidth + offset / stride;
            }
    }

    /// <summary>Zero-padded copy of a plane where padded column p lands in phase p % stride at position p / stride.</summary>
    private static void CopyPhased(ConvolutionGeometry g, float* plane, float* phased, int phaseWidth, int phasedLength)
    {
        int stride = g.StrideWidth;
        new Span<float>(phased, phasedLength).Clear();
        for (int ih = 0; ih < g.InHeight; ih++)
        {
            float* source = plane + (long)ih * g.InWidth;
            float* rowStart = phased + (long)(ih + g.PadTop) * stride * phaseWidth;
            if (stride == 1)
            {
                new ReadOnlySpan<float>(source, g.InWidth).CopyTo(new Span<float>(rowStart + g.PadLeft, g.InWidth));
                continue;
            }
            // Phase and position advance together, avoiding a division per value.
            int phase = g.PadLeft % stride, position = g.PadLeft / stride;
            for (int iw = 0; iw < g.InWidth; iw++)
            {
                rowStart[phase * phaseWidth + position] = source[iw];
                if (++phase == stride) { phase = 0; position++; }
            }
        }
    }

    /// <summary>Overwrites <paramref name="inputGradient"/> with the gradient of the input.</summary>
    public static void BackwardData(ConvolutionGeometry g, float* outputGradient, float* weights, float* inputGradient)
    {
        nint dy = (nint)outputGradient, w = (nint)weights, dx = (nint)inputGradient;
        Parallelism.For(g.Batch * g.InChannels, (start, end) =>
        {
            int paddedWidth = g.InWidth + g.PadLeft + g.PadRight;
            int paddedLength = (g.InHeight + g.PadTop + g.PadBottom) * paddedWidth;
            var buffer = ArrayPool<float>.Shared.Rent(paddedLength);
            try
            {
                fixed (float* padded = buffer)
                    for (int plane = start; plane < end; plane++)
                    {
                        int c = plane % g.InChannels;
                        new Span<float>(padded, paddedLength).Clear();
                        float* filter = (float*)w + (long)c * g.KernelHeight * g.KernelWidth;
                        float* gradRow = (float*)dy + (long)plane * g.OutSpatial;
                        for (int oh = 0; oh < g.OutHeight; oh++, gradRow += g.OutWidth)
                            for (int kh = 0; kh < g.KernelHeight; kh++)
                            {
                                float* inRow = padded + (long)(oh * g.StrideHeight + kh * g.DilationHeight) * paddedWidth;
                                for (int kw = 0; kw < g.KernelWidth; kw++)
                                    VectorLoops.ScatterMultiplyAdd(inRow + kw * g.DilationWidth, g.StrideWidth, gradRow, filter[kh * g.KernelWidth + kw], g.OutWidth);
                            }
                        float* target = (float*)dx + (long)plane * g.InSpatial;
                        for (int ih = 0; ih < g.InHeight; ih++)
                            new ReadOnlySpan<float>(padded + (long)(ih + g.PadTop) * paddedWidth + g.PadLeft, g.InWidth)
                                .CopyTo(new Span<float>(target + (long)ih * g.InWidth, g.InWidth));
                    }
            }
            finally { ArrayPool<float>.Shared.Return(buffer); }
        }, 2.0 * g.OutSpatial * g.KernelHeight * g.KernelWidth);
    }

    /// <summary>Overwrites <paramref name="weightGradient"/> ([C, 1, kH, kW]) with the weight gradient summed over the batch.</summary>
    public static void BackwardWeights(ConvolutionGeometry g, float* input, float* outputGradient, float* weightGradient)
    {
        nint x = (nint)input, dy = (nint)outputGradient, dw = (nint)weightGradient;
        int kernelArea = g.KernelHeight * g.KernelWidth;
        // Threads own channels; the batch is summed inside so no two threads write one filter.
        Parallelism.For(g.InChannels, (start, end) =>
        {
            int paddedWidth = g.InWidth + g.PadLeft + g.PadRight;
            var buffer = ArrayPool<float>.Shared.Rent((g.InHeight + g.PadTop + g.PadBottom) * paddedWidth);
            var sums = new double[kernelArea];
            try
            {
                fixed (float* padded = buffer)
                    for (int c = start; c < end; c++)
                    {
                        Array.Clear(sums);
                        for (int n = 0; n < g.Batch; n++)
                        {
                            long plane = (long)n * g.InChannels + c;
                            CopyPadded(g, (float*)x + plane * g.InSpatial, padded);
                            float* gradRow = (float*)dy + plane * g.OutSpatial;
                            for (int oh = 0; oh < g.OutHeight; oh++, gradRow += g.OutWidth)
                                for (int kh = 0; kh < g.KernelHeight; kh++)
                                {
                                    float* inRow = padded + (long)(oh * g.StrideHeight + kh * g.DilationHeight) * paddedWidth;
                                    for (int kw = 0; kw < g.KernelWidth; kw++)
                                        sums[kh * g.KernelWidth + kw] += VectorLoops.Dot(gradRow, inRow + kw * g.DilationWidth, g.StrideWidth, g.OutWidth);
                                }
                        }
                        for (int k = 0; k < kernelArea; k++) ((float*)dw)[(long)c * kernelArea + k] = (float)sums[k];
                    }
            }
            finally { ArrayPool<float>.Shared.Return(buffer); }
        }, 2.0 * g.Batch * g.OutSpatial * kernelArea);
    }

    private static void CopyPadded(ConvolutionGeometry g, float* plane, float* padded)
    {
        int paddedWidth = g.InWidth + g.PadLeft + g.PadRight;
        new Span<float>(padded, g.PadTop * paddedWidth).Clear();
        new Span<float>(padded + (long)(g.PadTop + g.InHeight) * paddedWidth, g.PadBottom * paddedWidth).Clear();
        for (int ih = 0; ih < g.InHeight; ih++)
        {
            float* row = padded + (long)(ih + g.PadTop) * paddedWidth;
            for (int i = 0; i < g.PadLeft; i++) row[i] = 0f;
            new ReadOnlySpan<float>(plane + (long)ih * g.InWidth, g.InWidth).CopyTo(new Span<float>(row + g.PadLeft, g.InWidth));
            for (int i = g.PadLeft + g.InWidth; i < paddedWidth; i++) row[i] = 0f;
        }
    }
}
