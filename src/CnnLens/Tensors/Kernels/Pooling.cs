using System.Buffers;
using System.Runtime.Intrinsics;

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
            // The vector path tracks indices as exact float values, so it needs planes under 2^24 values.
            bool vectorized = Vector512.IsHardwareAccelerated && g.InSpatial < (1 << 24);
            Parallelism.For(g.Planes, (start, end) =>
            {
                float[]? buffer = vectorized ? ArrayPool<float>.Shared.Rent(PhasedPlaneLength(g)) : null;
                try
                {
                    for (int plane = start; plane < end; plane++)
                    {
                        float* source = (float*)px + (long)plane * g.InSpatial, target = (float*)py + (long)plane * g.OutSpatial;
                        int* targetIndex = keepIndex ? (int*)pi + (long)plane * g.OutSpatial : null;
                        if (buffer is not null) MaxPlaneVector(g, source, target, targetIndex, buffer);
                        else MaxPlane(g, source, target, targetIndex);
                    }
                }
                finally
                {
                    if (buffer is not null) ArrayPool<float>.Shared.Return(buffer);
                }
            }, (double)g.OutSpatial * g.KernelHeight * g.KernelWidth);
        }
    }

    /// <summary>Sizes of the -inf padded, column-phase-split copy of a plane that <see cref="MaxPlaneVector"/> reads.</summary>
    private static (int Rows, int PhaseWidth, int RoundedWidth) PhasedPlaneSize(PoolingGeometry g)
    {
        int roundedWidth = Gemm.RoundUp(g.OutWidth, 16);
        int rows = Math.Max(g.InHeight + g.PadTop, (g.OutHeight - 1) * g.StrideHeight + (g.KernelHeight - 1) * g.DilationHeight + 1);
        int phaseWidth = Math.Max((g.InWidth + g.PadLeft - 1) / g.StrideWidth + 1,
            roundedWidth + (g.KernelWidth - 1) * g.DilationWidth / g.StrideWidth);
        return (rows, phaseWidth, roundedWidth);
    }

    private static int PhasedPlaneLength(PoolingGeometry g)
    {
        var (rows, phaseWidth, roundedWidth) = PhasedPlaneSize(g);
        return rows * g.StrideWidth * phaseWidth + 2 * roundedWidth;
    }

    /// <summary>
    /// Sixteen outputs of a row at a time: the plane is copied, padded with -inf, split by column
    /// phase (column mod stride) so each tap of the window is one contiguous vector load, and the
    /// running maximum and its input position are kept with compare-and-select.
    /// </summary>
    private static void MaxPlaneVector(PoolingGeometry g, float* source, float* target, int* targetIndex, float[] buffer)
    {
        var (rows, phaseWidth, roundedWidth) = PhasedPlaneSize(g);
        int sW = g.StrideWidth, inW = g.InWidth, pL = g.PadLeft, pT = g.PadTop;
        int phasedLength = rows * sW * phaseWidth;
        fixed (float* phased = buffer)
        {
            new Span<float>(phased, phasedLength).Fill(float.NegativeInfinity);
            for (int ih = 0; ih < g.InHeight; ih++)
            {
                float* rowStart = phased + (long)(ih + pT) * sW * phaseWidth;
                float* from = source + (long)ih * inW;
                if (sW == 1)
                {
                    new ReadOnlySpan<float>(from, inW).CopyTo(new Span<float>(rowStart + pL, inW));
                    continue;
                }
                int done = 0;
                if (sW == 2)
                {
                    // Padded column pc = iw + pL goes to phase pc & 1, position pc >> 1: from the first even
                    // padded column on, the row splits into its two phases pair by pair.
                    int position = (pL + 1) / 2, head = 2 * position - pL;
                    for (int iw = 0; iw < Math.Min(head, inW); iw++) rowStart[((iw + pL) & 1) * phaseWidth + ((iw + pL) >> 1)] = from[iw];
                    int pairs = Math.Max(0, (inW - head) / 2);
                    if (pairs > 0) VectorLoops.SplitEvenOdd(from + head, rowStart + position, rowStart + phaseWidth + position, pairs);
                    done = head + 2 * pairs;
                }
                // Phase and position advance together, avoiding a division per value.
                int phase = (done + pL) % sW, at = (done + pL) / sW;
                for (int iw = done; iw < inW; iw++)
                {
                    rowStart[phase * phaseWidth + at] = from[iw];
                    if (++phase == sW) { phase = 0; at++; }
                }
            }
            float* bestRow = phased + phasedLength;
            float* indexRow = bestRow + roundedWidth;
            var lane = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < roundedWidth; ow += 16)
                {
                    var best = Vector512.Create(float.NegativeInfinity);
                    var bestIndex = Vector512.Create(-1f);
                    // Input position of tap (kh, kw) for output ow + lane: rowBase + kw*dW + (ow + lane)*sW.
                    var columnPart = (lane + Vector512.Create((float)ow)) * sW - Vector512.Create((float)pL);
                    for (int kh = 0; kh < g.KernelHeight; kh++)
                    {
                        int row = oh * g.StrideHeight + kh * g.DilationHeight;
                        var rowBase = Vector512.Create((float)((row - pT) * inW));
                        for (int kw = 0; kw < g.KernelWidth; kw++)
                        {
                            int offset = kw * g.DilationWidth;
                            var v = Vector512.Load(phased + ((long)row * sW + offset % sW) * phaseWidth + offset / sW + ow);
                            var take = Vector512.GreaterThan(v, best) | ~Vector512.Equals(v, v);
                            best = Vector512.ConditionalSelect(take, v, best);
                            bestIndex = Vector512.ConditionalSelect(take, rowBase + columnPart + Vector512.Create((float)offset), bestIndex);
                        }
                    }
                    best.Store(bestRow + ow);
                    bestIndex.Store(indexRow + ow);
                }
                new ReadOnlySpan<float>(bestRow, g.OutWidth).CopyTo(new Span<float>(target + (long)oh * g.OutWidth, g.OutWidth));
                if (targetIndex != null)
                    for (int ow = 0; ow < g.OutWidth; ow++) targetIndex[(long)oh * g.OutWidth + ow] = (int)indexRow[ow];
            }
        }
    }

    private static void MaxPlane(PoolingGeometry g, float* source, float* target, int* targetIndex)
    {
        // Geometry in locals: the loops below run per tap and must not reload properties.
        int inH = g.InHeight, inW = g.InWidth, outH = g.OutHeight, outW = g.OutWidth;
        int kH = g.KernelHeight, kW = g.KernelWidth, sH = g.StrideHeight, sW = g.StrideWidth;
        int dH = g.DilationHeight, dW = g.DilationWidth, pT = g.PadTop, pL = g.PadLeft;
        for (int oh = 0; oh < outH; oh++)
        {
            int h0 = oh * sH - pT;
            // Taps kh in [khFirst, khLast) land inside the image.
            int khFirst = h0 >= 0 ? 0 : (-h0 + dH - 1) / dH;
            int khLast = Math.Min(kH, inH - h0 <= 0 ? 0 : (inH - h0 - 1) / dH + 1);
            for (int ow = 0; ow < outW; ow++)
            {
                int w0 = ow * sW - pL;
                int kwFirst = w0 >= 0 ? 0 : (-w0 + dW - 1) / dW;
                int kwLast = Math.Min(kW, inW - w0 <= 0 ? 0 : (inW - w0 - 1) / dW + 1);
                if (khFirst >= khLast || kwFirst >= kwLast)
                {
                    // A window of padding only (possible with ceil_mode): no input, no gradient.
                    target[oh * outW + ow] = float.NegativeInfinity;
                    if (targetIndex != null) targetIndex[oh * outW + ow] = -1;
                    continue;
                }
                int bestIndex = (h0 + khFirst * dH) * inW + w0 + kwFirst * dW;
                float best = source[bestIndex];
                for (int kh = khFirst; kh < khLast; kh++)
                {
                    int rowStart = (h0 + kh * dH) * inW + w0;
                    for (int kw = kwFirst; kw < kwLast; kw++)
                    {
                        int position = rowStart + kw * dW;
                        float v = source[position];
                        // Strict '>' keeps the first maximum in scan order; a NaN wins so it propagates as in PyTorch.
                        // Written as selects (not a branch) so random data does not cost a misprediction per tap.
                        bool take = v > best | float.IsNaN(v);
                        best = take ? v : best;
                        bestIndex = take ? position : bestIndex;
                    }
                }
                target[oh * outW + ow] = best;
                if (targetIndex != null) targetIndex[oh * outW + ow] = bestIndex;
            }
        }
    }

    /// <summary>Overwrites <paramref name="inputGradient"/>: each output gradient goes to its window's argmax.</summary>
    public static void MaxBackward(PoolingGeometry g, ReadOnlySpan<int> argmax, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        Check(g, inputGradient.Length, outputGradient.Length);
        if (argmax.Length != outputGradient.Length) throw new ArgumentException("argmax must match the output gradient's length", nameof(argmax));
        fixed (int* index = argmax)
        fixed (float* dy = outputGradient, dx = inputGradient)
        {
            nint pi = (nint)index, pdy = (nint)dy, pdx = (nint)dx;
            // Planes are independent: each thread clears its own input planes and adds into them.
            Parallelism.For(g.Planes, (start, end) =>
            {
                for (int plane = start; plane < end; plane++)
                {
                    float* target = (float*)pdx + (long)plane * g.InSpatial;
                    int* indices = (int*)pi + (long)plane * g.OutSpatial;
                    float* gradient = (float*)pdy + (long)plane * g.OutSpatial;
                    new Span<float>(target, g.InSpatial).Clear();
                    for (int o = 0; o < g.OutSpatial; o++)
                    {
                        int i = indices[o];
                        if (i < 0) continue; // a window of padding only
                        if (i >= g.InSpatial) throw new ArgumentException($"argmax {i} lies outside its {g.InSpatial}-value plane", nameof(argmax));
                        target[i] += gradient[o];
                    }
                }
            }, 2.0 * g.InSpatial);
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
                    AveragePlane(g, (float*)px + (long)plane * g.InSpatial, (float*)py + (long)plane * g.OutSpatial, countIncludePad);
            }, (double)g.OutSpatial * g.KernelHeight * g.KernelWidth);
        }
    }

    private static void AveragePlane(PoolingGeometry g, float* source, float* target, bool countIncludePad)
    {
        int inH = g.InHeight, inW = g.InWidth, outH = g.OutHeight, outW = g.OutWidth;
        int kH = g.KernelHeight, kW = g.KernelWidth, sH = g.StrideHeight, sW = g.StrideWidth;
        int dH = g.DilationHeight, dW = g.DilationWidth, pT = g.PadTop, pL = g.PadLeft;
        for (int oh = 0; oh < outH; oh++)
        {
            int h0 = oh * sH - pT;
            int khFirst = h0 >= 0 ? 0 : (-h0 + dH - 1) / dH;
            int khLast = Math.Min(kH, inH - h0 <= 0 ? 0 : (inH - h0 - 1) / dH + 1);
            for (int ow = 0; ow < outW; ow++)
            {
                int w0 = ow * sW - pL;
                int kwFirst = w0 >= 0 ? 0 : (-w0 + dW - 1) / dW;
                int kwLast = Math.Min(kW, inW - w0 <= 0 ? 0 : (inW - w0 - 1) / dW + 1);
                float sum = 0f;
                for (int kh = khFirst; kh < khLast; kh++)
                {
                    float* row = source + (h0 + kh * dH) * inW + w0;
                    for (int kw = kwFirst; kw < kwLast; kw++) sum += row[kw * dW];
                }
                int count = Divisor(g, oh, ow, countIncludePad);
                target[oh * outW + ow] = count > 0 ? sum / count : 0f;
            }
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
