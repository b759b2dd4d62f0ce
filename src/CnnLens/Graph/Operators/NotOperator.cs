using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Logical not of a Bool tensor (1 where the input is 0); no gradient.</summary>
[OnnxOperator("Not")]
public sealed class NotOperator : Operator
{
    /// <summary>Not has no attributes.</summary>
    public NotOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs) =>
        [Elementwise.Map<NotOperation>(OperatorInputs.Required(inputs, 0, "Not"), TensorDataType.Bool)];

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null];
}
