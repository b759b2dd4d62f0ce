using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Broadcasts the input to broadcast(input shape, shape) (bidirectional, so a 1 in the shape keeps
/// the input's size). The gradient is dy summed back to the input's shape.
/// </summary>
[OnnxOperator("Expand")]
public sealed class ExpandOperator : Operator
{
    /// <summary>Expand has no attributes.</summary>
    public ExpandOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Expand");
        var shape = OperatorInputs.Dims(OperatorInputs.Required(inputs, 1, "Expand").ToLongs(), "Expand");
        return [Broadcasting.BroadcastTo(x, Broadcasting.Shape(x.Shape, shape))];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        var x = OperatorInputs.Required(inputs, 0, "Expand");
        if (g is null || x.DataType != TensorDataType.Float32) return [null, null];
        return [Broadcasting.ReduceTo(g, x.Shape), null];
    }
}
