using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// Where each output pixel of an <see cref="ImageTransform"/> reads the input: the top-left source
/// pixel, the steps to its right and lower neighbours (0 at a clamped edge) and the bilinear fractions.
/// Computed once per transform (8 pixels per instruction) and shared by every channel and by the
/// backward pass, which then only spreads gradients. Optionally applies a per-channel
/// (v − mean) / std on the way out and 1/std on the way back, so the model's normalisation costs no
/// extra pass. All arrays are reused between fills: a step allocates nothing here.
/// </summary>
public sealed unsafe class SamplingGrid
{
    private int[] _index = [];  // ya·inW + xa
    private int[] _right = [];  // xb − xa (0 or 1)
    private int[] _down = [];   // (yb − ya)·inW (0 or inW)
    private float[] _fx = [];
    private float[] _fy = [];
    private float[] _partial = []; // backward: the second thread's share, added in at the end

    public int InputHeight { get; private set; }

    public int InputWidth { get; private set; }

    public int OutputHeight { get; private set; }

    public int OutputWidth { get; private set; }

    /// <summary>The grid of <paramref name="transform"/> from inH x inW to outH x outW.</summary>
    public void Fill(ImageTransform transform, int inHeight, int inWidth, int outHeight, int outWidth)
    {
        int pixels = outHeight * outWidth;
        if (_index.Length < pixels)
        {
            _index = new int[pixels];
            _right = new int[pixels];
            _down = new int[pixels];
            _fx = new float[pixels];
            _fy = new float[pixels];
        }
        (InputHeight, InputWidth, OutputHeight, OutputWidth) = (inHeight, inWidth, outHeight, outWidth);
        fixed (int* index = _index, right = _right, down = _down)
        fixed (float* fxp = _fx, fyp = _fy)
        {
            for (int y = 0; y < outHeight; y++)
            {
                int x = 0, row = y * outWidth;
                if (Vector512.IsHardwareAccelerated)
                {
                    // The scalar loop's double arithmetic in the same order, 8 pixels at a time.
                    var steps = Vector512.Create(0.0, 1, 2, 3, 4, 5, 6, 7);
                    var xx = Vector512.Create(transform.XX);
                    var yx = Vector512.Create(transform.YX);
                    var xRow = Vector512.Create(transform.XY * y);
                    var yRow = Vector512.Create(transform.YY * y);
                    var x0Shift = Vector512.Create(transform.X0);
                    var y0Shift = Vector512.Create(transform.Y0);
                    var zero = Vector512<long>.Zero;
                    var lastX = Vector512.Create((long)inWidth - 1);
                    var lastY = Vector512.Create((long)inHeight - 1);
                    var one = Vector512<long>.One;
                    var width = Vector512.Create((long)inWidth);
                    for (; x <= outWidth - 8; x += 8)
                    {
                        var px = steps + Vector512.Create((double)x);
                        var sx = xx * px + xRow + x0Shift;
                        var sy = yx * px + yRow + y0Shift;
                        var fx0 = Vector512.Floor(sx);
                        var fy0 = Vector512.Floor(sy);
                        var x0 = Vector512.ConvertToInt64(fx0);
                        var y0 = Vector512.ConvertToInt64(fy0);
                        var xa = Vector512.Min(Vector512.Max(x0, zero), lastX);
                        var xb = Vector512.Min(Vector512.Max(x0 + one, zero), lastX);
                        var ya = Vector512.Min(Vector512.Max(y0, zero), lastY);
                        var yb = Vector512.Min(Vector512.Max(y0 + one, zero), lastY);
                        Vector256.Store(Vector512.Narrow(ya * width + xa, zero).GetLower(), index + row + x);
                        Vector256.Store(Vector512.Narrow(xb - xa, zero).GetLower(), right + row + x);
                        Vector256.Store(Vector512.Narrow((yb - ya) * width, zero).GetLower(), down + row + x);
                        Vector256.Store(Vector512.Narrow(sx - fx0, Vector512<double>.Zero).GetLower(), fxp + row + x);
                        Vector256.Store(Vector512.Narrow(sy - fy0, Vector512<double>.Zero).GetLower(), fyp + row + x);
                    }
                }
                for (; x < outWidth; x++)
                {
                    double sx = transform.XX * x + transform.XY * y + transform.X0, sy = transform.YX * x + transform.YY * y + transform.Y0;
                    int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                    int xa = Math.Clamp(x0, 0, inWidth - 1), xb = Math.Clamp(x0 + 1, 0, inWidth - 1);
                    int ya = Math.Clamp(y0, 0, inHeight - 1), yb = Math.Clamp(y0 + 1, 0, inHeight - 1);
                    int o = row + x;
                    index[o] = ya * inWidth + xa;
                    right[o] = xb - xa;
                    down[o] = (yb - ya) * inWidth;
                    fxp[o] = (float)(sx - x0);
                    fyp[o] = (float)(sy - y0);
                }
            }
        }
    }

    /// <summary>
    /// Resamples <paramref name="channels"/> consecutive input planes from <paramref name="inputOffset"/> into the output
    /// planes from <paramref name="outputOffset"/>: output = (sample − mean[c]) / std[c] (plain samples when
    /// <paramref name="normalization"/> is null). Rows are split over threads.
    /// </summary>
    public void Gather(float[] input, int inputOffset, float[] output, int outputOffset, int channels, InputNormalization? normalization = null)
    {
        int inPlane = InputHeight * InputWidth, outPlane = OutputHeight * OutputWidth, outWidth = OutputWidth;
        if (inputOffset + channels * inPlane > input.Length || outputOffset + channels * outPlane > output.Length)
            throw new ShapeMismatchException($"{channels} planes of {InputHeight}x{InputWidth} → {OutputHeight}x{OutputWidth} do not fit the buffers");
        Parallelism.For(OutputHeight, (start, end) =>
        {
            fixed (float* source = input, target = output, fxp = _fx, fyp = _fy)
            fixed (int* index = _index, right = _right, down = _down)
            {
                for (int c = 0; c < channels; c++)
                {
                    float* s = source + inputOffset + (long)c * inPlane, t = target + outputOffset + (long)c * outPlane;
                    float mean = normalization?.MeanOf(c) ?? 0, std = normalization?.StdOf(c) ?? 1;
                    int o = start * outWidth, last = end * outWidth;
                    if (Avx2.IsSupported)
                    {
                        var vOne = Vector256<float>.One;
                        var vMean = Vector256.Create(mean);
                        var vStd = Vector256.Create(std);
                        for (; o <= last - 8; o += 8)
                        {
                            var fx = Vector256.Load(fxp + o);
                            var fy = Vector256.Load(fyp + o);
                            var i00 = Vector256.Load(index + o);
                            var r = Vector256.Load(right + o);
                            var i10 = i00 + Vector256.Load(down + o);
                            var v = (vOne - fx) * (vOne - fy) * Avx2.GatherVector256(s, i00, 4)
                                + fx * (vOne - fy) * Avx2.GatherVector256(s, i00 + r, 4)
                                + (vOne - fx) * fy * Avx2.GatherVector256(s, i10, 4)
                                + fx * fy * Avx2.GatherVector256(s, i10 + r, 4);
                            ((v - vMean) / vStd).Store(t + o);
                        }
                    }
                    for (; o < last; o++)
                    {
                        float fx = fxp[o], fy = fyp[o];
                        int i00 = index[o], i01 = i00 + right[o], i10 = i00 + down[o], i11 = i10 + right[o];
                        float v = (1 - fx) * (1 - fy) * s[i00] + fx * (1 - fy) * s[i01] + (1 - fx) * fy * s[i10] + fx * fy * s[i11];
                        t[o] = (v - mean) / std;
                    }
                }
            }
        }, costPerItem: 40.0 * channels * outWidth);
    }

    /// <summary>
    /// Adds the transpose of <see cref="Gather"/> (without the mean) of <paramref name="channels"/> gradient planes into
    /// the input-sized planes from <paramref name="inputOffset"/>. The lower half of the rows spreads into a private
    /// buffer added at the end, so two threads can share the work (spreads to one pixel cannot run concurrently).
    /// </summary>
    public void Scatter(float[] outputGradient, int outputOffset, float[] inputGradient, int inputOffset, int channels, InputNormalization? normalization = null)
    {
        int inPlane = InputHeight * InputWidth, outPlane = OutputHeight * OutputWidth, outWidth = OutputWidth, size = channels * inPlane;
        if (inputOffset + size > inputGradient.Length || outputOffset + channels * outPlane > outputGradient.Length)
            throw new ShapeMismatchException($"{channels} planes of {InputHeight}x{InputWidth} → {OutputHeight}x{OutputWidth} do not fit the buffers");
        // Always two halves, whatever the thread count, so the sums (and the image) do not depend on it.
        if (OutputHeight < 2)
        {
            Spread(outputGradient, outputOffset, inputGradient, inputOffset, channels, normalization, 0, OutputHeight);
            return;
        }
        if (_partial.Length < size) _partial = new float[size];
        Array.Clear(_partial, 0, size);
        int middle = OutputHeight / 2;
        Parallelism.For(2, (start, end) =>
        {
            for (int half = start; half < end; half++)
                if (half == 0) Spread(outputGradient, outputOffset, inputGradient, inputOffset, channels, normalization, 0, middle);
                else Spread(outputGradient, outputOffset, _partial, 0, channels, normalization, middle, OutputHeight);
        }, costPerItem: 20.0 * channels * outPlane);
        var target = inputGradient.AsSpan(inputOffset, size);
        System.Numerics.Tensors.TensorPrimitives.Add(target, _partial.AsSpan(0, size), target);
    }

    private void Spread(float[] outputGradient, int outputOffset, float[] inputGradient, int inputOffset, int channels, InputNormalization? normalization, int startRow, int endRow)
    {
        int inPlane = InputHeight * InputWidth, outPlane = OutputHeight * OutputWidth;
        int first = startRow * OutputWidth, last = endRow * OutputWidth;
        Span<float> std = stackalloc float[channels];
        for (int c = 0; c < channels; c++) std[c] = normalization?.StdOf(c) ?? 1;
        fixed (float* source = outputGradient, target = inputGradient, fxp = _fx, fyp = _fy, stdp = std)
        fixed (int* index = _index, right = _right, down = _down)
        {
            float* g0 = source + outputOffset;
            float* t0 = target + inputOffset;
            if (channels == 3)
            {
                // The usual case unrolled: three independent chains of read-modify-writes per pixel.
                float s0 = stdp[0], s1 = stdp[1], s2 = stdp[2];
                float* t1 = t0 + inPlane, t2 = t1 + inPlane;
                for (int o = first; o < last; o++)
                {
                    float fx = fxp[o], fy = fyp[o];
                    int i00 = index[o], i01 = i00 + right[o], i10 = i00 + down[o], i11 = i10 + right[o];
                    float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                    float a = g0[o] / s0, b = g0[outPlane + o] / s1, c = g0[2 * outPlane + o] / s2;
                    t0[i00] += w00 * a; t1[i00] += w00 * b; t2[i00] += w00 * c;
                    t0[i01] += w01 * a; t1[i01] += w01 * b; t2[i01] += w01 * c;
                    t0[i10] += w10 * a; t1[i10] += w10 * b; t2[i10] += w10 * c;
                    t0[i11] += w11 * a; t1[i11] += w11 * b; t2[i11] += w11 * c;
                }
                return;
            }
            for (int o = first; o < last; o++)
            {
                float fx = fxp[o], fy = fyp[o];
                int i00 = index[o], i01 = i00 + right[o], i10 = i00 + down[o], i11 = i10 + right[o];
                float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                for (int c = 0; c < channels; c++)
                {
                    float g = g0[(long)c * outPlane + o] / stdp[c];
                    float* t = t0 + (long)c * inPlane;
                    t[i00] += w00 * g;
                    t[i01] += w01 * g;
                    t[i10] += w10 * g;
                    t[i11] += w11 * g;
                }
            }
        }
    }
}
