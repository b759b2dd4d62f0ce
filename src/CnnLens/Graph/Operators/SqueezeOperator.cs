using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Removes size-1 axes: those listed (attribute before opset 13, input from 13), or all of them. No copy.</summary>
[OnnxOperator("Squeeze")]
public sealed class SqueezeOperator : ReshapingOperator
{
    private readonly int _opset;
    private readonly long[]? _axes;

    public SqueezeOperator(OnnxAttributes attributes, int opset)
    {
        _opset = opset;
        _axes = opset < 13 ? attributes.GetInts("axes") : null;
    }

    protected override string OpType => "Squeeze";

    protected override int[] OutputShape(Tensor x, Tensor?[] inputs)
    {
        var axes = _opset < 13 ? _axes : OperatorInputs.Optional(inputs, 1)?.ToLongs();
        if (axes is null || axes.Length == 0) return x.ShapeArray.Where(d => d != 1).ToArray();
        var remove = OperatorInputs.Axes(axes, x.Rank, "Squeeze");
        foreach (int a in remove)
            if (x.Shape[a] != 1) throw new ShapeMismatchException($"Squeeze axis {a} of {Tensor.ShapeString(x.Shape)} has size {x.Shape[a]}, not 1");
        return Enumerable.Range(0, x.Rank).Where(d => !remove.Contains(d)).Select(d => x.Shape[d]).ToArray();
    }
}
