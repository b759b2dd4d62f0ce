using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// max(0, min(1, alpha·x + beta)) (alpha 0.2, beta 0.5 by default). The gradient is alpha strictly
/// inside the linear part and 0 on the flat parts and at the two corners (PyTorch's convention).
/// </summary>
[OnnxOperator("HardSigmoid")]
public sealed class HardSigmoidOperator : UnaryOperator
{
    private readonly float _alpha;
    private readonly float _beta;

    public HardSigmoidOperator(OnnxAttributes attributes, int opset)
    {
        _alpha = attributes.GetFloat("alpha", 0.2f);
        _beta = attributes.GetFloat("beta", 0.5f);
    }

    protected override string OpType => "HardSigmoid";

    protected override Tensor Apply(Tensor x)
    {
        var result = new Tensor(x.ShapeArray);
        float[] xs = x.Data, rs = result.Data;
        float alpha = _alpha, beta = _beta;
        Elementwise.Parallel(xs.Length, (s, e) =>
        {
            for (int i = s; i < e; i++) rs[i] = Math.Clamp(alpha * xs[i] + beta, 0f, 1f);
        });
        return result;
    }

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient)
    {
        var result = new Tensor(x.ShapeArray);
        float[] xs = x.Data, gs = outputGradient.Data, rs = result.Data;
        float alpha = _alpha, beta = _beta;
        Elementwise.Parallel(xs.Length, (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                float z = alpha * xs[i] + beta;
                rs[i] = z > 0 && z < 1 ? alpha * gs[i] : 0;
            }
        });
        return result;
    }
}
