using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>a &gt; b with broadcasting; a Bool-tagged 0/1 tensor with no gradient.</summary>
[OnnxOperator("Greater")]
public sealed class GreaterOperator : Operator
{
    /// <summary>Greater has no attributes.</summary>
    public GreaterOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var a = OperatorInputs.Required(inputs, 0, "Greater");
        var b = OperatorInputs.Required(inputs, 1, "Greater");
        return [Broadcasting.Binary<LessOperation>(b, a, TensorDataType.Bool)];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null, null];
}
