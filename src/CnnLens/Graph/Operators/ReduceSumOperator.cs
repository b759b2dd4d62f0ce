using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Sum over axes (axes an input from opset 13); dx = dy broadcast back.</summary>
[OnnxOperator("ReduceSum")]
public sealed class ReduceSumOperator(OnnxAttributes attributes, int opset) : ReduceOperator(attributes, opset)
{
    protected override string OpType => "ReduceSum";

    protected override int AxesBecameInputAt => 13;

    protected override Tensor Reduce(Tensor x, int[] keptShape, bool[] reduced)
    {
        var sum = Broadcasting.ReduceTo(x, keptShape);
        return ReferenceEquals(sum, x) ? x.Clone() : sum.WithDataType(x.DataType);
    }

    protected override Tensor Gradient(Tensor x, Tensor keptOutput, Tensor keptGradient) =>
        Broadcasting.BroadcastTo(keptGradient, x.ShapeArray);
}
