using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Reshape to input 1's shape: 0 copies the input's dimension (unless <c>allowzero</c>, opset 14),
/// one −1 is inferred from the remaining size. No data is copied.
/// </summary>
[OnnxOperator("Reshape")]
public sealed class ReshapeOperator : ReshapingOperator
{
    private readonly bool _allowZero;

    public ReshapeOperator(OnnxAttributes attributes, int opset) => _allowZero = attributes.GetInt("allowzero", 0) != 0;

    protected override string OpType => "Reshape";

    protected override int[] OutputShape(Tensor x, Tensor?[] inputs)
    {
        var requested = OperatorInputs.Required(inputs, 1, "Reshape").ToLongs();
        var shape = new int[requested.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < requested.Length; i++)
        {
            long d = requested[i];
            if (d == 0 && !_allowZero)
            {
                if (i >= x.Rank) throw new ShapeMismatchException($"Reshape copies dimension {i} but the input {Tensor.ShapeString(x.Shape)} has rank {x.Rank}");
                d = x.Shape[i];
            }
            if (d == -1)
            {
                if (inferred >= 0) throw new ShapeMismatchException("Reshape shape has more than one -1");
                inferred = i;
                continue;
            }
            if (d < 0 || d > int.MaxValue) throw new ShapeMismatchException($"Reshape shape has invalid dimension {d}");
            shape[i] = (int)d;
            known *= d;
        }
        if (inferred >= 0)
        {
            if (known == 0 || x.Length % known != 0)
                throw new ShapeMismatchException($"Reshape cannot infer the -1 dimension: {x.Length} values do not divide by {known}");
            shape[inferred] = (int)(x.Length / known);
        }
        return shape;
    }
}
