using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Hyperbolic tangent; dx = dy·(1−y²).</summary>
[OnnxOperator("Tanh")]
public sealed class TanhOperator : UnaryOperator
{
    /// <summary>Tanh has no attributes in any opset.</summary>
    public TanhOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Tanh";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<TanhOperation>(x);

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => g * (1 - y * y);
    }
}
