namespace CnnLens.Tensors.Kernels;

/// <summary>
/// Max and average pooling over NCHW planes, with pads, strides, dilations and any output size
/// (so ceil_mode windows that run past the padded edge are clipped), plus their gradients.
/// </summary>
public static unsafe class Pooling
{
    /// <summary>
    /// Window maxima; <paramref name="argmax"/> (same length as output, may be empty) receives the
    /// index within the plane (ih * W + iw) of the first maximum in scan order, or -1 for a window
    /// that covers only padding.
    /// </summary>
    public static void MaxForward(PoolingGeometry g, ReadOnlySpan<float> input, Span<float> output, Span<int> argmax)
    {
        Check(g, input.Length, output.Length);
        bool keepIndex = !argmax.IsEmpty;
        if (keepIndex && argmax.Length != output.Length) throw new ArgumentException("argmax must match the output length", nameof(argmax));
        fixed (float* x = input, y = output)
        fixed (int* index = argmax)
        {
            nint px = (nint)x, py = (nint)y, pi = (nint)index;
            Parallelism.For(g.Planes, (start, end) =>
            {
                for (int plane = start; plane < end; plane++)
                {
                    float* source = (float*)px + (long)plane * g.InSpatial;
                    float* target = (float*)py + (long)plane * g.OutSpatial;
                    int* targetIndex = keepIndex ? (int*)pi + (long)plane * g.OutSpatial : null;
                    for (int oh = 0; oh < g.OutHeight; oh++)
                        for (int ow = 0; ow < g.OutWidth; ow++)
                        {
                            float best = float.NegativeInfinity;
                            int bestIndex = -1;
                            for (int kh = 0; kh < g.KernelHeight; kh++)
                            {
                                int ih = oh * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
                                if ((uint)ih >= (uint)g.InHeight) continue;
                                for (int kw = 0; kw < g.KernelWidth; kw++)
                                {
                                    int iw = ow * g.StrideWidth - g.PadLeft + kw * g.DilationWidth;
                                    if ((uint)iw >= (uint)g.InWidth) continue;
                                    float v = source[ih * g.InWidth + iw];
                                    // Strict '>' keeps the first maximum; NaN wins so it propagates like PyTorch.
                                    if (bestIndex < 0 || v > best || (float.IsNaN(v) && !float.IsNaN(best)))
                                    {
                                        best = v;
                                        bestIndex = ih * g.InWidth + iw;
                                    }
                                }
                            }
                            target[oh * g.OutWidth + ow] = best;
                            if (keepIndex) targetIndex[oh * g.OutWidth + ow] = bestIndex;
                        }
                }
            }, (double)g.OutSpatial * g.KernelHeight * g.KernelWidth);
        }
    }

    /// <summary>Overwrites <paramref name="inputGradient"/>: each output gradient goes to its window's argmax.</summary>
    public static void MaxBackward(PoolingGeometry g, ReadOnlySpan<int> argmax, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        Check(g, inputGradient.Length, outputGradient.Length);
        inputGradient.Clear();
        for (int plane = 0; plane < g.Planes; plane++)
        {
            var target = inputGradient.Slice(plane * g.InSpatial, g.InSpatial);
            int offset = plane * g.OutSpatial;
            for (int o = 0; o < g.OutSpatial; o++)
            {
                int index = argmax[offset + o];
                if (index >= 0) target[index] += outputGradient[offset + o];
            }
        }
    }

    /// <summary>
    /// Window means. With <paramref name="countIncludePad"/> the divisor counts taps inside the padded
    /// input (not beyond it, as PyTorch clips ceil_mode windows); otherwise only taps inside the image.
    /// </summary>
    public static void AverageForward(PoolingGeometry g, ReadOnlySpan<float> input, Span<float> output, bool countIncludePad)
    {
        Check(g, input.Length, output.Length);
        fixed (float* x = input, y = output)
        {
            nint px = (nint)x, py = (nint)y;
            Parallelism.For(g.Planes, (start, end) =>
            {
                for (int plane = start; plane < end; plane++)
                {
                    float* source = (float*)px + (long)plane * g.InSpatial;
                    float* target = (float*)py + (long)plane * g.OutSpatial;
                    for (int oh = 0; oh < g.OutHeight; oh++)
                        for (int ow = 0; ow < g.OutWidth; ow++)
                        {
                            float sum = 0f;
                            for (int kh = 0; kh < g.KernelHeight; kh++)
                            {
                                int ih = oh * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
                                if ((uint)ih >= (uint)g.InHeight) continue;
                                for (int kw = 0; kw < g.KernelWidth; kw++)
                                {
                                    int iw = ow * g.StrideWidth - g.PadLeft + kw * g.DilationWidth;
                                    if ((uint)iw < (uint)g.InWidth) sum += source[ih * g.InWidth + iw];
                                }
                            }
                            int count = Divisor(g, oh, ow, countIncludePad);
                            target[oh * g.OutWidth + ow] = count > 0 ? sum / count : 0f;
                        }
                }
            }, (double)g.OutSpatial * g.KernelHeight * g.KernelWidth);
        }
    }

    /// <summary>Overwrites <paramref name="inputGradient"/>: each output gradient spreads evenly over its window's counted taps.</summary>
    public static void AverageBackward(PoolingGeometry g, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, bool countIncludePad)
    {
        Check(g, inputGradient.Length, outputGradient.Length);
        inputGradient.Clear();
        for (int plane = 0; plane < g.Planes; plane++)
        {
            var target = inputGradient.Slice(plane * g.InSpatial, g.InSpatial);
            var gradient = outputGradient.Slice(plane * g.OutSpatial, g.OutSpatial);
            for (int oh = 0; oh < g.OutHeight; oh++)
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    int count = Divisor(g, oh, ow, countIncludePad);
                    if (count == 0) continue;
                    float share = gradient[oh * g.OutWidth + ow] / count;
                    for (int kh = 0; kh < g.KernelHeight; kh++)
                    {
                        int ih = oh * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
                        if ((uint)ih >= (uint)g.InHeight) continue;
                        for (int kw = 0; kw < g.KernelWidth; kw++)
                        {
                            int iw = ow * g.StrideWidth - g.PadLeft + kw * g.DilationWidth;
                            if ((uint)iw < (uint)g.InWidth) target[ih * g.InWidth + iw] += share;
                        }
                    }
                }
        }
    }

    private static int Divisor(PoolingGeometry g, int oh, int ow, bool countIncludePad)
    {
        int low = countIncludePad ? -g.PadTop : 0, high = countIncludePad ? g.InHeight + g.PadBottom : g.InHeight;
        int left = countIncludePad ? -g.PadLeft : 0, right = countIncludePad ? g.InWidth + g.PadRight : g.InWidth;
        int rows = 0, cols = 0;
        for (int kh = 0; kh < g.KernelHeight; kh++)
        {
            int ih = oh * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
            if (ih >= low && ih < high) rows++;
        }
        for (int kw = 0; kw < g.KernelWidth; kw++)
        {
            int iw = ow * g.StrideWidth - g.PadLeft + kw * g.DilationWidth;
            if (iw >= left && iw < right) cols++;
        }
        return rows * cols;
    }

    /// <summary>Mean (or max) of every plane of <paramref name="spatial"/> values.</summary>
    public static void GlobalForward(int planes, int spatial, ReadOnlySpan<float> input, Span<float> output, bool maximum)
    {
        if (input.Length != planes * spatial || output.Length != planes)
            throw new ShapeMismatchException($"global pooling over {planes} planes of {spatial} values got {input.Length} inputs and {output.Length} outputs");
        fixed (float* x = input)
            for (int plane = 0; plane < planes; plane++)
            {
                float* values = x + (long)plane * spatial;
                if (maximum)
                {
                    float best = float.NegativeInfinity;
                    for (int i = 0; i < spatial; i++)
                        if (values[i] > best || float.IsNaN(values[i])) { best = values[i]; if (float.IsNaN(best)) break; }
                    output[plane] = best;
                }
                else output[plane] = (float)(VectorLoops.Sum(values, spatial) / spatial);
            }
    }

    private static void Check(PoolingGeometry g, int inputLength, int outputLength)
    {
        if (inputLength != g.Planes * g.InSpatial)
            throw new ShapeMismatchException($"pooling input has {inputLength} values, expected {g.Planes} planes of {g.InHeight}x{g.InWidth}");
        if (outputLength != g.Planes * g.OutSpatial)
            throw new ShapeMismatchException($"pooling output has {outputLength} values, expected {g.Planes} planes of {g.OutHeight}x{g.OutWidth}");
    }
}
