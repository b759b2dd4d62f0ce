using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// a^b with broadcasting. da = dy·b·a^(b−1); db = dy·a^b·ln a, taken as 0 where a = 0 and b ≥ 0
/// (PyTorch's pow backward), NaN for negative a as in PyTorch.
/// </summary>
[OnnxOperator("Pow")]
public sealed class PowOperator : BinaryOperator
{
    /// <summary>Pow has no attributes from opset 7.</summary>
    public PowOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Pow";

    protected override Tensor Apply(Tensor a, Tensor b)
    {
        var shape = Broadcasting.Shape(a.Shape, b.Shape);
        var result = new Tensor(shape, new float[Tensor.CheckedLength(shape)], a.DataType);
        if (b.Length == 1)
        {
            // The common case (x², √x as x^0.5): one exponent for all.
            float p = b.Data[0];
            float[] av = a.Data, rv = result.Data;
            if (av.Length == rv.Length)
            {
                Elementwise.Parallel(rv.Length, (s, e) =>
                {
                    if (p == 2) for (int i = s; i < e; i++) rv[i] = av[i] * av[i];
                    else for (int i = s; i < e; i++) rv[i] = MathF.Pow(av[i], p);
                });
                return result;
            }
        }
        var ab = Broadcasting.BroadcastTo(a, shape);
        var bb = Broadcasting.BroadcastTo(b, shape);
        float[] x = ab.Data, y = bb.Data, r = result.Data;
        Elementwise.Parallel(r.Length, (s, e) =>
        {
            for (int i = s; i < e; i++) r[i] = MathF.Pow(x[i], y[i]);
        });
        return result;
    }

    protected override (float DA, float DB) LocalGradient(float a, float b, float y, float g) =>
        (b == 0 ? 0 : g * b * MathF.Pow(a, b - 1), a == 0 && b >= 0 ? 0 : g * y * MathF.Log(a));
}
