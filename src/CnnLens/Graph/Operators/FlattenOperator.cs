using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>To 2-D [product of dims before axis, product of the rest] (axis default 1, may be negative or = rank). No copy.</summary>
[OnnxOperator("Flatten")]
public sealed class FlattenOperator : ReshapingOperator
{
    private readonly long _axis;

    public FlattenOperator(OnnxAttributes attributes, int opset) => _axis = attributes.GetInt("axis", 1);

    protected override string OpType => "Flatten";

    protected override int[] OutputShape(Tensor x, Tensor?[] inputs)
    {
        // axis may equal rank (everything in the first dimension), so check against rank + 1.
        long axis = _axis < 0 ? _axis + x.Rank : _axis;
        if (axis < 0 || axis > x.Rank) throw new ShapeMismatchException($"Flatten axis {_axis} is out of range for rank {x.Rank}");
        return [OperatorInputs.Product(x.Shape, 0, (int)axis), OperatorInputs.Product(x.Shape, (int)axis, x.Rank)];
    }
}
