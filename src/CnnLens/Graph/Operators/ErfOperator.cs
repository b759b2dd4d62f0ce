using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>The Gauss error function (used by exported GELU); dx = dy·2/√π·e^(−x²).</summary>
[OnnxOperator("Erf")]
public sealed class ErfOperator : UnaryOperator
{
    /// <summary>Erf has no attributes.</summary>
    public ErfOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Erf";

    protected override Tensor Apply(Tensor x)
    {
        var result = new Tensor(x.ShapeArray);
        float[] xs = x.Data, rs = result.Data;
        Elementwise.Parallel(xs.Length, (s, e) =>
        {
            for (int i = s; i < e; i++) rs[i] = (float)Erf(xs[i]);
        });
        return result;
    }

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    /// <summary>
    /// erf via the Chebyshev-fitted erfc of Press et al. (fractional error below 1.2e-7 everywhere),
    /// evaluated in double: accurate to float precision.
    /// </summary>
    public static double Erf(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => g * 1.1283791670955126f * MathF.Exp(-x * x);
    }
}
