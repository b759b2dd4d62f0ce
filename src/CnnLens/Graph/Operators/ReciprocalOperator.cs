using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>1/x; dx = −dy/x².</summary>
[OnnxOperator("Reciprocal")]
public sealed class ReciprocalOperator : UnaryOperator
{
    /// <summary>Reciprocal has no attributes in any opset.</summary>
    public ReciprocalOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Reciprocal";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<ReciprocalOperation>(x);

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => -g * y * y;
    }
}
