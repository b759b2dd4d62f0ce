using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>a + b with broadcasting; both gradients are dy summed to the input's shape.</summary>
[OnnxOperator("Add")]
public sealed class AddOperator : BinaryOperator
{
    /// <summary>Add has no attributes from opset 7 (broadcasting is implicit).</summary>
    public AddOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Add";

    protected override Tensor Apply(Tensor a, Tensor b) => Broadcasting.Binary<AddOperation>(a, b, OperatorInputs.ArithmeticType(a, b));

    protected override (float DA, float DB) LocalGradient(float a, float b, float y, float g) => (g, g);

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        if (g is null) return [null, null];
        var a = OperatorInputs.Required(inputs, 0, OpType);
        var b = OperatorInputs.Required(inputs, 1, OpType);
        return [a.DataType == TensorDataType.Float32 ? Broadcasting.ReduceTo(g, a.Shape) : null,
                b.DataType == TensorDataType.Float32 ? Broadcasting.ReduceTo(g, b.Shape) : null];
    }
}
