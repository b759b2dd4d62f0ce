using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// x·max(0, min(1, x/6 + 1/2)). Gradient as PyTorch's hardswish_backward: 0 for x &lt; −3,
/// x/3 + 1/2 for −3 ≤ x ≤ 3, 1 above.
/// </summary>
[OnnxOperator("HardSwish")]
public sealed class HardSwishOperator : UnaryOperator
{
    /// <summary>HardSwish has no attributes.</summary>
    public HardSwishOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "HardSwish";

    protected override Tensor Apply(Tensor x)
    {
        var result = new Tensor(x.ShapeArray);
        float[] xs = x.Data, rs = result.Data;
        Elementwise.Parallel(xs.Length, (s, e) =>
        {
            for (int i = s; i < e; i++) rs[i] = xs[i] * Math.Clamp(xs[i] / 6f + 0.5f, 0f, 1f);
        });
        return result;
    }

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => x < -3 ? 0 : x <= 3 ? g * (x / 3f + 0.5f) : g;
    }
}
