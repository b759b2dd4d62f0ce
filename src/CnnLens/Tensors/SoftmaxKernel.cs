using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnLens.Tensors;

/// <summary>
/// Softmax and log-softmax over the middle dimension of an (outer, n, inner) view, numerically
/// stable (the row maximum is subtracted before exponentiating), with their vector-Jacobian products.
/// Contiguous rows (inner = 1) use SIMD; rows are spread over threads.
/// </summary>
public static class SoftmaxKernel
{
    /// <summary>Columns handled together when the softmax axis is strided (inner &gt; 1).</summary>
    private const int ColumnBlock = 256;

    public static void Forward(float[] x, float[] y, int outer, int n, int inner, bool log)
    {
        if (n == 0) return;
        if (inner == 1)
        {
            Parallelism.For(outer, (r0, r1) =>
            {
                for (int r = r0; r < r1; r++) ContiguousRow(x.AsSpan(r * n, n), y.AsSpan(r * n, n), log);
            }, costPerItem: 20.0 * n);
            return;
        }
        // Strided axis (e.g. channels of NCHW): work on blocks of contiguous columns so every step
        // is a SIMD pass over a row segment.
        int blocks = (inner + ColumnBlock - 1) / ColumnBlock;
        Parallelism.For(outer * blocks, (t0, t1) =>
        {
            Span<float> max = stackalloc float[ColumnBlock];
            Span<float> sum = stackalloc float[ColumnBlock];
            for (int t = t0; t < t1; t++)
            {
                int o = t / blocks, k0 = t % blocks * ColumnBlock, w = Math.Min(ColumnBlock, inner - k0);
                ColumnBlockForward(x, y, o * n * inner + k0, n, inner, max[..w], sum[..w], log);
            }
        }, costPerItem: 20.0 * n * ColumnBlock);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnBlockForward(float[] x, float[] y, int start, int n, int stride, Span<float> max, Span<float> sum, bool log)
    {
        int w = max.Length;
        max.Fill(float.NegativeInfinity);
        for (int j = 0; j < n; j++) Elementwise.BinaryContiguous<MaxOperation>(max, x.AsSpan(start + j * stride, w), max);
        for (int k = 0; k < w; k++) if (float.IsNegativeInfinity(max[k])) max[k] = 0;
        sum.Clear();
        for (int j = 0; j < n; j++)
        {
            var row = y.AsSpan(start + j * stride, w);
            Elementwise.BinaryContiguous<SubtractOperation>(x.AsSpan(start + j * stride, w), max, row);
            Elementwise.Unary<ExpOperation>(row, row);
            Elementwise.AddInPlace(sum, row);
        }
        if (log)
        {
            Elementwise.Unary<LogOperation>(sum, sum);
            for (int j = 0; j < n; j++)
            {
                var row = y.AsSpan(start + j * stride, w);
                Elementwise.BinaryContiguous<SubtractOperation>(x.AsSpan(start + j * stride, w), max, row);
                Elementwise.BinaryContiguous<SubtractOperation>(row, sum, row);
            }
        }
        else
        {
            Elementwise.Unary<ReciprocalOperation>(sum, sum);
            for (int j = 0; j < n; j++)
            {
                var row = y.AsSpan(start + j * stride, w);
                Elementwise.BinaryContiguous<MultiplyOperation>(row, sum, row);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ContiguousRow(ReadOnlySpan<float> x, Span<float> y, bool log)
    {
        float max = Elementwise.Max(x);
        if (float.IsNegativeInfinity(max)) max = 0;
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            var vmax = Vector512.Create(max);
            var acc = Vector512<float>.Zero;
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var e = Vector512.Exp(Vector512.Create(x.Slice(i, Vector512<float>.Count)) - vmax);
                acc += e;
                if (!log) e.CopyTo(y.Slice(i, Vector512<float>.Count));
            }
            sum = Vector512.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            float e = MathF.Exp(x[i] - max);
            sum += e;
            if (!log) y[i] = e;
        }
        if (log)
        {
            // (x − max) is exact near the maximum; subtracting log Σ after keeps small outputs precise.
            float logSum = MathF.Log(sum);
            for (int j = 0; j < x.Length; j++) y[j] = (x[j] - max) - logSum;
        }
        else
        {
            float scale = 1f / sum;
            for (int j = 0; j < y.Length; j++) y[j] *= scale;
        }
    }

    /// <summary>
    /// dx from y and dy: softmax dx = y·(dy − Σ dy·y); log-softmax dx = dy − e^y·Σ dy.
    /// </summary>
    public static void Backward(float[] y, float[] dy, float[] dx, int outer, int n, int inner, bool log)
    {
        if (n == 0) return;
        if (inner == 1)
        {
            Parallelism.For(outer, (r0, r1) =>
            {
                for (int r = r0; r < r1; r++) ContiguousRowBackward(y.AsSpan(r * n, n), dy.AsSpan(r * n, n), dx.AsSpan(r * n, n), log);
            }, costPerItem: 6.0 * n);
            return;
        }
        int blocks = (inner + ColumnBlock - 1) / ColumnBlock;
        Parallelism.For(outer * blocks, (t0, t1) =>
        {
            Span<float> total = stackalloc float[ColumnBlock];
            for (int t = t0; t < t1; t++)
            {
                int o = t / blocks, k0 = t % blocks * ColumnBlock, w = Math.Min(ColumnBlock, inner - k0);
                ColumnBlockBackward(y, dy, dx, o * n * inner + k0, n, inner, total[..w], log);
            }
        }, costPerItem: 6.0 * n * ColumnBlock);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ContiguousRowBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool log)
    {
        if (log)
        {
            float total = Elementwise.Sum(dy);
            for (int j = 0; j < y.Length; j++) dx[j] = dy[j] - MathF.Exp(y[j]) * total;
        }
        else
        {
            float total = Elementwise.Dot(dy, y);
            for (int j = 0; j < y.Length; j++) dx[j] = y[j] * (dy[j] - total);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnBlockBackward(float[] y, float[] dy, float[] dx, int start, int n, int stride, Span<float> total, bool log)
    {
        int w = total.Length;
        total.Clear();
        // dx rows double as scratch for dy·y before they receive their final values.
        for (int j = 0; j < n; j++)
        {
            var g = dy.AsSpan(start + j * stride, w);
            if (log) Elementwise.AddInPlace(total, g);
            else
            {
                var scratch = dx.AsSpan(start + j * stride, w);
                Elementwise.BinaryContiguous<MultiplyOperation>(g, y.AsSpan(start + j * stride, w), scratch);
                Elementwise.AddInPlace(total, scratch);
            }
        }
        for (int j = 0; j < n; j++)
        {
            var g = dy.AsSpan(start + j * stride, w);
            var v = y.AsSpan(start + j * stride, w);
            var d = dx.AsSpan(start + j * stride, w);
            if (log)
            {
                Elementwise.Unary<ExpOperation>(v, d);
                Elementwise.BinaryContiguous<MultiplyOperation>(d, total, d);
                Elementwise.BinaryContiguous<SubtractOperation>(g, d, d);
            }
            else
            {
                Elementwise.BinaryContiguous<SubtractOperation>(g, total, d);
                Elementwise.BinaryContiguous<MultiplyOperation>(d, v, d);
            }
        }
    }
}
