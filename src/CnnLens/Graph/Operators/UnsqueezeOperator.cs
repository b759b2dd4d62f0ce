using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Inserts size-1 axes at the listed output positions (attribute before opset 13, input from 13; negative count from the output's end). No copy.</summary>
[OnnxOperator("Unsqueeze")]
public sealed class UnsqueezeOperator : ReshapingOperator
{
    private readonly int _opset;
    private readonly long[]? _axes;

    public UnsqueezeOperator(OnnxAttributes attributes, int opset)
    {
        _opset = opset;
        _axes = opset < 13 ? attributes.GetInts("axes") ?? throw new ModelLoadException("Unsqueeze has no 'axes' attribute; re-export the model") : null;
    }

    protected override string OpType => "Unsqueeze";

    protected override int[] OutputShape(Tensor x, Tensor?[] inputs)
    {
        var axes = _opset < 13 ? _axes! : OperatorInputs.Required(inputs, 1, "Unsqueeze").ToLongs();
        int rank = x.Rank + axes.Length;
        var inserted = OperatorInputs.Axes(axes, rank, "Unsqueeze");
        var shape = new int[rank];
        for (int d = 0, source = 0; d < rank; d++) shape[d] = inserted.Contains(d) ? 1 : x.Shape[source++];
        return shape;
    }
}
