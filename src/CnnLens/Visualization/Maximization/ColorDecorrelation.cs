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
    public static Tensor Forward(Tensor components) => Mix(components, transpose: false);

    /// <summary>The transpose: gradient at rgb to gradient at the components.</summary>
    public static Tensor Backward(Tensor rgbGradient) => Mix(rgbGradient, transpose: true);

    private static Tensor Mix(Tensor x, bool transpose)
    {
        if (x.Rank != 4 || x.Dim(1) != 3) throw new ShapeMismatchException($"colour decorrelation needs [N,3,H,W], got {x}");
        int batch = x.Dim(0), plane = x.Dim(2) * x.Dim(3);
        var result = new Tensor(x.ShapeArray);
        for (int n = 0; n < batch; n++)
        {
            int start = n * 3 * plane;
            for (int c = 0; c < 3; c++)
            {
                var target = result.Data.AsSpan(start + c * plane, plane);
                for (int d = 0; d < 3; d++)
                {
                    float m = transpose ? Matrix[d, c] : Matrix[c, d];
                    var source = x.Data.AsSpan(start + d * plane, plane);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(source, m, target, target);
                }
            }
        }
        return result;
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
