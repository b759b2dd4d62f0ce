using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>a &lt; b with broadcasting; a Bool-tagged 0/1 tensor with no gradient.</summary>
[OnnxOperator("Less")]
public sealed class LessOperator : Operator
{
    /// <summary>Less has no attributes.</summary>
    public LessOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var a = OperatorInputs.Required(inputs, 0, "Less");
        var b = OperatorInputs.Required(inputs, 1, "Less");
        return [Broadcasting.Binary<LessOperation>(a, b, TensorDataType.Bool)];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null, null];
}
