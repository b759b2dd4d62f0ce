using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>x for x &gt; 0, alpha·x otherwise (alpha default 0.01); dx = dy or alpha·dy, alpha at 0 like PyTorch.</summary>
[OnnxOperator("LeakyRelu")]
public sealed class LeakyReluOperator : UnaryOperator
{
    private readonly float _alpha;

    public LeakyReluOperator(OnnxAttributes attributes, int opset) => _alpha = attributes.GetFloat("alpha", 0.01f);

    protected override string OpType => "LeakyRelu";

    protected override Tensor Apply(Tensor x)
    {
        var result = new Tensor(x.ShapeArray);
        float[] xs = x.Data, rs = result.Data;
        float alpha = _alpha;
        Elementwise.Parallel(xs.Length, (s, e) =>
        {
            for (int i = s; i < e; i++) rs[i] = xs[i] > 0 ? xs[i] : alpha * xs[i];
        });
        return result;
    }

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient)
    {
        var result = new Tensor(x.ShapeArray);
        float[] xs = x.Data, gs = outputGradient.Data, rs = result.Data;
        float alpha = _alpha;
        Elementwise.Parallel(xs.Length, (s, e) =>
        {
            for (int i = s; i < e; i++) rs[i] = xs[i] > 0 ? gs[i] : alpha * gs[i];
        });
        return result;
    }
}
