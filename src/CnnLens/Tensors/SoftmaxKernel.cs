using System.Runtime.Intrinsics;

namespace CnnLens.Tensors;

/// <summary>
/// Softmax and log-softmax over the middle dimension of an (outer, n, inner) view, numerically
/// stable (the row maximum is subtracted before exponentiating), with their vector-Jacobian products.
/// Contiguous rows (inner = 1) use SIMD; rows are spread over threads.
/// </summary>
public static class SoftmaxKernel
{
    public static void Forward(float[] x, float[] y, int outer, int n, int inner, bool log)
    {
        if (n == 0) return;
        Parallelism.For(outer * inner, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                int o = r / inner, k = r % inner;
                int start = o * n * inner + k;
                if (inner == 1) ContiguousRow(x.AsSpan(start, n), y.AsSpan(start, n), log);
                else StridedRow(x, y, start, n, inner, log);
            }
        }, costPerItem: 20.0 * n);
    }

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

    private static void StridedRow(float[] x, float[] y, int start, int n, int stride, bool log)
    {
        float max = float.NegativeInfinity;
        for (int j = 0, p = start; j < n; j++, p += stride) max = MathF.Max(max, x[p]);
        if (float.IsNegativeInfinity(max)) max = 0;
        float sum = 0;
        for (int j = 0, p = start; j < n; j++, p += stride) sum += MathF.Exp(x[p] - max);
        if (log)
        {
            float logSum = MathF.Log(sum);
            for (int j = 0, p = start; j < n; j++, p += stride) y[p] = (x[p] - max) - logSum;
        }
        else
        {
            float scale = 1f / sum;
            for (int j = 0, p = start; j < n; j++, p += stride) y[p] = MathF.Exp(x[p] - max) * scale;
        }
    }

    /// <summary>
    /// dx from y and dy: softmax dx = y·(dy − Σ dy·y); log-softmax dx = dy − e^y·Σ dy.
    /// </summary>
    public static void Backward(float[] y, float[] dy, float[] dx, int outer, int n, int inner, bool log)
    {
        if (n == 0) return;
        Parallelism.For(outer * inner, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                int o = r / inner, k = r % inner;
                int start = o * n * inner + k;
                float total = 0;
                if (inner == 1)
                    total = log ? Elementwise.Sum(dy.AsSpan(start, n)) : Elementwise.Dot(dy.AsSpan(start, n), y.AsSpan(start, n));
                else
                    for (int j = 0, p = start; j < n; j++, p += inner) total += log ? dy[p] : dy[p] * y[p];
                for (int j = 0, p = start; j < n; j++, p += inner)
                    dx[p] = log ? dy[p] - MathF.Exp(y[p]) * total : y[p] * (dy[p] - total);
            }
        }, costPerItem: 6.0 * n);
    }
}
