using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// a / b with broadcasting. Two integer-tagged operands divide as integers (truncating toward zero,
/// like C and ONNX Runtime). da = dy/b, db = −dy·a/b².
/// </summary>
[OnnxOperator("Div")]
public sealed class DivOperator : BinaryOperator
{
    /// <summary>Div has no attributes from opset 7.</summary>
    public DivOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Div";

    protected override Tensor Apply(Tensor a, Tensor b)
    {
        var type = OperatorInputs.ArithmeticType(a, b);
        return type == TensorDataType.Int64
            ? Broadcasting.Binary<TruncatedDivideOperation>(a, b, type)
            : Broadcasting.Binary<DivideOperation>(a, b, type);
    }

    protected override (float DA, float DB) LocalGradient(float a, float b, float y, float g) => (g / b, -g * a / (b * b));
}
