using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>a ≤ b with broadcasting; a Bool-tagged 0/1 tensor with no gradient.</summary>
[OnnxOperator("LessOrEqual")]
public sealed class LessOrEqualOperator : Operator
{
    /// <summary>LessOrEqual has no attributes.</summary>
    public LessOrEqualOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var a = OperatorInputs.Required(inputs, 0, "LessOrEqual");
        var b = OperatorInputs.Required(inputs, 1, "LessOrEqual");
        return [Broadcasting.Binary<LessOrEqualOperation>(a, b, TensorDataType.Bool)];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null, null];
}
