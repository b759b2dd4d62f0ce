using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>e^x; dx = dy·y.</summary>
[OnnxOperator("Exp")]
public sealed class ExpOperator : UnaryOperator
{
    /// <summary>Exp has no attributes in any opset.</summary>
    public ExpOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Exp";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<ExpOperation>(x);

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => g * y;
    }
}
