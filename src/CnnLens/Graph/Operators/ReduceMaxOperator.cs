using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Maximum over axes (axes an input from opset 18). The gradient goes to the maximal elements,
/// shared equally between ties (as torch.amax).
/// </summary>
[OnnxOperator("ReduceMax")]
public sealed class ReduceMaxOperator(OnnxAttributes attributes, int opset) : ReduceOperator(attributes, opset)
{
    protected override string OpType => "ReduceMax";

    protected override int AxesBecameInputAt => 18;

    protected override Tensor Reduce(Tensor x, int[] keptShape, bool[] reduced)
    {
        // Move the reduced axes last so each output value is the max of one contiguous row.
        var perm = Enumerable.Range(0, x.Rank).Where(a => !reduced[a]).Concat(Enumerable.Range(0, x.Rank).Where(a => reduced[a])).ToArray();
        var moved = TransposeOperator.Permute(x, perm);
        var result = new Tensor(keptShape, new float[Tensor.CheckedLength(keptShape)], x.DataType);
        int row = result.Length == 0 ? 0 : x.Length / result.Length;
        if (row == 0) throw new ShapeMismatchException("ReduceMax over an empty axis has no maximum");
        for (int i = 0; i < result.Length; i++) result.Data[i] = Elementwise.Max(moved.Data.AsSpan(i * row, row));
        return result;
    }

    protected override Tensor Gradient(Tensor x, Tensor keptOutput, Tensor keptGradient)
    {
        var shape = x.ShapeArray;
        var y = Broadcasting.BroadcastTo(keptOutput, shape);
        var hit = new Tensor(shape);
        for (int i = 0; i < hit.Length; i++) hit.Data[i] = x.Data[i] == y.Data[i] ? 1 : 0;
        var ties = Broadcasting.BroadcastTo(Broadcasting.ReduceTo(hit, keptOutput.Shape), shape);
        var g = Broadcasting.BroadcastTo(keptGradient, shape);
        for (int i = 0; i < hit.Length; i++) hit.Data[i] = hit.Data[i] * g.Data[i] / ties.Data[i];
        return hit;
    }
}
