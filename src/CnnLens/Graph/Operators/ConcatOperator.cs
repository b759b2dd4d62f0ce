using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Joins inputs along an axis (negative from opset 11); keeps the first input's data type. The
/// backward pass hands each input its slab of dy. Slabs are copied as contiguous runs.
/// </summary>
[OnnxOperator("Concat")]
public sealed class ConcatOperator : Operator
{
    private readonly long _axis;

    public ConcatOperator(OnnxAttributes attributes, int opset)
    {
        if (!attributes.Has("axis")) throw new ModelLoadException("Concat has no 'axis' attribute; re-export the model");
        _axis = attributes.GetInt("axis", 0);
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var parts = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) parts[i] = OperatorInputs.Required(inputs, i, "Concat");
        var first = parts[0];
        int axis = OperatorInputs.Axis(_axis, first.Rank, "Concat");
        var shape = first.ShapeArray;
        shape[axis] = 0;
        foreach (var p in parts)
        {
            if (p.Rank != first.Rank) throw new ShapeMismatchException($"Concat inputs have ranks {first.Rank} and {p.Rank}");
            for (int d = 0; d < p.Rank; d++)
                if (d != axis && p.Shape[d] != first.Shape[d])
                    throw new ShapeMismatchException($"Concat inputs {Tensor.ShapeString(first.Shape)} and {Tensor.ShapeString(p.Shape)} differ outside axis {axis}");
            shape[axis] += p.Shape[axis];
        }
        var result = Tensor.Uninitialized(shape, first.DataType);
        int outer = OperatorInputs.Product(shape, 0, axis);
        int inner = OperatorInputs.Product(shape, axis + 1, shape.Length);
        int rowLength = shape[axis] * inner;
        int offset = 0;
        foreach (var p in parts)
        {
            int run = p.Shape[axis] * inner;
            for (int o = 0; o < outer; o++) p.Data.AsSpan(o * run, run).CopyTo(result.Data.AsSpan(o * rowLength + offset, run));
            offset += run;
        }
        return [result];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        if (g is null) return gradients;
        int axis = OperatorInputs.Axis(_axis, g.Rank, "Concat");
        int outer = OperatorInputs.Product(g.Shape, 0, axis);
        int inner = OperatorInputs.Product(g.Shape, axis + 1, g.Rank);
        int rowLength = g.Shape[axis] * inner;
        int offset = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            var p = inputs[i]!;
            int run = p.Shape[axis] * inner;
            if (p.DataType == TensorDataType.Float32)
            {
                var d = Tensor.Uninitialized(p.ShapeArray);
                for (int o = 0; o < outer; o++) g.Data.AsSpan(o * rowLength + offset, run).CopyTo(d.Data.AsSpan(o * run, run));
                gradients[i] = d;
            }
            offset += run;
        }
        return gradients;
    }
}
