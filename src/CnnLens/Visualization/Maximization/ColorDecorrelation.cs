using System.Runtime.Intrinsics;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// Colour decorrelation (Lucid's <c>_linear_decorrelate_color</c>): the optimised image lives in a
/// space of decorrelated colour components, and rgb = M · component per pixel, where M is the square
/// root of ImageNet's colour covariance (Lucid's public <c>color_correlation_svd_sqrt</c>) scaled so
/// its largest column norm is 1. Natural images have strongly correlated channels; optimising
/// decorrelated components keeps colours from drifting into unnatural saturated noise.
/// </summary>
public static class ColorDecorrelation
{
    /// <summary>Lucid's colour correlation square root (rows: R, G, B).</summary>
    public static readonly float[,] CorrelationSquareRoot =
    {
        { 0.26f, 0.09f, 0.02f },
        { 0.27f, 0.00f, -0.05f },
        { 0.27f, -0.09f, 0.03f },
    };

    /// <summary>The matrix applied: <see cref="CorrelationSquareRoot"/> divided by its largest column norm.</summary>
    public static float[,] Matrix { get; } = Normalized();

    /// <summary>rgb[c] = Σ_d M[c, d] · x[d] at every pixel of [N, 3, H, W].</summary>
    public static Tensor Forward(Tensor components)
    {
        var rgb = new Tensor(components.ShapeArray);
        Forward(components, rgb);
        return rgb;
    }

    /// <summary>The transpose: gradient at rgb to gradient at the components.</summary>
    public static Tensor Backward(Tensor rgbGradient)
    {
        var result = new Tensor(rgbGradient.ShapeArray);
        Mix(rgbGradient, result, transpose: true, sigmoid: false, null);
        return result;
    }

    /// <summary>rgb written into <paramref name="rgb"/>; with <paramref name="sigmoid"/> the logistic function follows in the same pass.</summary>
    public static void Forward(Tensor components, Tensor rgb, bool sigmoid = false) => Mix(components, rgb, transpose: false, sigmoid, null);

    /// <summary>
    /// The transpose of <see cref="Forward(Tensor, Tensor, bool)"/> with the sigmoid, at its output <paramref name="image"/>:
    /// gradient[c] = Σ_d M[d, c] · imageGradient[d] · s_d · (1 − s_d), into <paramref name="componentGradient"/>.
    /// </summary>
    public static void BackwardThroughSigmoid(Tensor image, Tensor imageGradient, Tensor componentGradient)
    {
        if (!image.SameShape(imageGradient)) throw new ShapeMismatchException($"sigmoid output {image} and its gradient {imageGradient} differ");
        Mix(imageGradient, componentGradient, transpose: true, sigmoid: false, image);
    }

    /// <summary>Pixels per parallel piece: big enough to amortise a thread hand-off, small enough to split a 224² image.</summary>
    private const int Chunk = 4096;

    private static void Mix(Tensor x, Tensor result, bool transpose, bool sigmoid, Tensor? sigmoidOutput)
    {
        if (x.Rank != 4 || x.Dim(1) != 3) throw new ShapeMismatchException($"colour decorrelation needs [N,3,H,W], got {x}");
        if (!x.SameShape(result)) throw new ShapeMismatchException($"colour decorrelation from {x} into {result}");
        int batch = x.Dim(0), plane = x.Dim(2) * x.Dim(3), chunks = (plane + Chunk - 1) / Chunk;
        var m = new float[9];
        for (int c = 0; c < 3; c++)
            for (int d = 0; d < 3; d++) m[c * 3 + d] = transpose ? Matrix[d, c] : Matrix[c, d];
        Parallelism.For(batch * chunks, (start, end) =>
        {
            for (int item = start; item < end; item++)
            {
                int n = item / chunks, from = item % chunks * Chunk, count = Math.Min(Chunk, plane - from);
                int offset = n * 3 * plane + from;
                MixPixels(x.Data, result.Data, sigmoidOutput?.Data, m, offset, plane, count);
                if (sigmoid)
                    for (int c = 0; c < 3; c++)
                    {
                        var span = result.Data.AsSpan(offset + c * plane, count);
                        System.Numerics.Tensors.TensorPrimitives.Sigmoid(span, span);
                    }
            }
        }, costPerItem: 30.0 * Chunk);
    }

    /// <summary>
    /// result[c] = Σ_d m[c·3 + d] · x[d] for <paramref name="count"/> pixels; with <paramref name="sigmoid"/>,
    /// x[d] is first multiplied by s_d·(1 − s_d) (the sigmoid's derivative at its output s).
    /// </summary>
    private static unsafe void MixPixels(float[] x, float[] result, float[]? sigmoid, float[] m, int offset, int plane, int count)
    {
        fixed (float* source = &x[offset], target = &result[offset], mp = m)
        fixed (float* s = sigmoid is null ? Span<float>.Empty : sigmoid.AsSpan(offset))
        {
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var one = Vector512<float>.One;
                for (; i <= count - 16; i += 16)
                {
                    var x0 = Vector512.Load(source + i);
                    var x1 = Vector512.Load(source + plane + i);
                    var x2 = Vector512.Load(source + 2 * plane + i);
                    if (s is not null)
                    {
                        var s0 = Vector512.Load(s + i);
                        var s1 = Vector512.Load(s + plane + i);
                        var s2 = Vector512.Load(s + 2 * plane + i);
                        x0 = x0 * s0 * (one - s0);
                        x1 = x1 * s1 * (one - s1);
                        x2 = x2 * s2 * (one - s2);
                    }
                    for (int c = 0; c < 3; c++)
                        (x0 * Vector512.Create(mp[c * 3]) + x1 * Vector512.Create(mp[c * 3 + 1]) + x2 * Vector512.Create(mp[c * 3 + 2])).Store(target + c * plane + i);
                }
            }
            for (; i < count; i++)
            {
                float x0 = source[i], x1 = source[plane + i], x2 = source[2 * plane + i];
                if (s is not null)
                {
                    x0 = x0 * s[i] * (1 - s[i]);
                    x1 = x1 * s[plane + i] * (1 - s[plane + i]);
                    x2 = x2 * s[2 * plane + i] * (1 - s[2 * plane + i]);
                }
                for (int c = 0; c < 3; c++) target[c * plane + i] = x0 * mp[c * 3] + x1 * mp[c * 3 + 1] + x2 * mp[c * 3 + 2];
            }
        }
    }

    private static float[,] Normalized()
    {
        double largest = 0;
        for (int column = 0; column < 3; column++)
        {
            double norm = 0;
            for (int row = 0; row < 3; row++) norm += CorrelationSquareRoot[row, column] * (double)CorrelationSquareRoot[row, column];
            largest = Math.Max(largest, Math.Sqrt(norm));
        }
        var matrix = new float[3, 3];
        for (int row = 0; row < 3; row++)
            for (int column = 0; column < 3; column++) matrix[row, column] = (float)(CorrelationSquareRoot[row, column] / largest);
        return matrix;
    }
}
