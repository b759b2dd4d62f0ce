using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>a = b with broadcasting; a Bool-tagged 0/1 tensor with no gradient.</summary>
[OnnxOperator("Equal")]
public sealed class EqualOperator : Operator
{
    /// <summary>Equal has no attributes.</summary>
    public EqualOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var a = OperatorInputs.Required(inputs, 0, "Equal");
        var b = OperatorInputs.Required(inputs, 1, "Equal");
        return [Broadcasting.Binary<EqualOperation>(a, b, TensorDataType.Bool)];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null, null];
}
