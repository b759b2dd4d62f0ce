using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>a · b with broadcasting; da = dy·b, db = dy·a, each summed to the input's shape.</summary>
[OnnxOperator("Mul")]
public sealed class MulOperator : BinaryOperator
{
    /// <summary>Mul has no attributes from opset 7.</summary>
    public MulOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Mul";

    protected override Tensor Apply(Tensor a, Tensor b) => Broadcasting.Binary<MultiplyOperation>(a, b, OperatorInputs.ArithmeticType(a, b));

    protected override (float DA, float DB) LocalGradient(float a, float b, float y, float g) => (g * b, g * a);
}
