using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>−x.</summary>
[OnnxOperator("Neg")]
public sealed class NegOperator : UnaryOperator
{
    /// <summary>Neg has no attributes in any opset.</summary>
    public NegOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Neg";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<NegateOperation>(x, x.DataType);

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => -g;
    }
}
