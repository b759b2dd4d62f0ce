using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>The input's number of values as an Int64 scalar.</summary>
[OnnxOperator("Size")]
public sealed class SizeOperator : Operator
{
    /// <summary>Size has no attributes.</summary>
    public SizeOperator(OnnxAttributes attributes, int opset) { }

    public override bool IsShapeOperator => true;

    public override Tensor[] Forward(Tensor?[] inputs) =>
        [Tensor.Scalar(OperatorInputs.Required(inputs, 0, "Size").Length, TensorDataType.Int64)];

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null];
}
