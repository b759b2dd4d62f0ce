using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>a ≥ b with broadcasting; a Bool-tagged 0/1 tensor with no gradient.</summary>
[OnnxOperator("GreaterOrEqual")]
public sealed class GreaterOrEqualOperator : Operator
{
    /// <summary>GreaterOrEqual has no attributes.</summary>
    public GreaterOrEqualOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var a = OperatorInputs.Required(inputs, 0, "GreaterOrEqual");
        var b = OperatorInputs.Required(inputs, 1, "GreaterOrEqual");
        return [Broadcasting.Binary<LessOrEqualOperation>(b, a, TensorDataType.Bool)];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null, null];
}
