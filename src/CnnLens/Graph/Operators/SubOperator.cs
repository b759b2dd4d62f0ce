using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>a − b with broadcasting; da = dy, db = −dy, each summed to the input's shape.</summary>
[OnnxOperator("Sub")]
public sealed class SubOperator : BinaryOperator
{
    /// <summary>Sub has no attributes from opset 7.</summary>
    public SubOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Sub";

    protected override Tensor Apply(Tensor a, Tensor b) => Broadcasting.Binary<SubtractOperation>(a, b, OperatorInputs.ArithmeticType(a, b));

    protected override (float DA, float DB) LocalGradient(float a, float b, float y, float g) => (g, -g);

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        if (g is null) return [null, null];
        var a = OperatorInputs.Required(inputs, 0, OpType);
        var b = OperatorInputs.Required(inputs, 1, OpType);
        return [a.DataType == TensorDataType.Float32 ? Broadcasting.ReduceTo(g, a.Shape) : null,
                b.DataType == TensorDataType.Float32 ? Broadcasting.ReduceTo(Elementwise.Map<NegateOperation>(g), b.Shape) : null];
    }
}
