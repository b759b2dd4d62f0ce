using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Square root; dx = dy/(2√x).</summary>
[OnnxOperator("Sqrt")]
public sealed class SqrtOperator : UnaryOperator
{
    /// <summary>Sqrt has no attributes in any opset.</summary>
    public SqrtOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Sqrt";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<SqrtOperation>(x);

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => g / (2 * y);
    }
}
