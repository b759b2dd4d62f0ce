using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>The input's shape as a 1-D Int64 tensor, optionally dims [start, end) (opset 15, negative and clamped).</summary>
[OnnxOperator("Shape")]
public sealed class ShapeOperator : Operator
{
    private readonly long _start;
    private readonly long? _end;

    public ShapeOperator(OnnxAttributes attributes, int opset)
    {
        _start = attributes.GetInt("start", 0);
        _end = attributes.Has("end") ? attributes.GetInt("end", 0) : null;
    }

    public override bool IsShapeOperator => true;

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Shape");
        int rank = x.Rank;
        long start = Math.Clamp(_start < 0 ? _start + rank : _start, 0, rank);
        long end = _end is { } e ? Math.Clamp(e < 0 ? e + rank : e, 0, rank) : rank;
        var dims = new long[Math.Max(0, end - start)];
        for (int i = 0; i < dims.Length; i++) dims[i] = x.Shape[(int)start + i];
        return [Tensor.FromLongs([dims.Length], dims)];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null];
}
