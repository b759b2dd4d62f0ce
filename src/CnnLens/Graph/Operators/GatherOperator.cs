using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Picks slices along an axis by index (negative indices count from the end): output shape is
/// data[:axis] + indices + data[axis+1:], keeping the data's type. Backward scatter-adds dy into
/// zeros (repeated indices accumulate).
/// </summary>
[OnnxOperator("Gather")]
public sealed class GatherOperator : Operator
{
    private readonly long _axis;

    public GatherOperator(OnnxAttributes attributes, int opset) => _axis = attributes.GetInt("axis", 0);

    private static int[] Indices(Tensor indices, int dim)
    {
        var values = indices.ToLongs();
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            long v = values[i] < 0 ? values[i] + dim : values[i];
            if (v < 0 || v >= dim) throw new ShapeMismatchException($"Gather index {values[i]} is out of range for an axis of size {dim}");
            result[i] = (int)v;
        }
        return result;
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var data = OperatorInputs.Required(inputs, 0, "Gather");
        var indexTensor = OperatorInputs.Required(inputs, 1, "Gather");
        int axis = OperatorInputs.Axis(_axis, data.Rank, "Gather");
        var indices = Indices(indexTensor, data.Shape[axis]);
        var shape = data.ShapeArray.Take(axis).Concat(indexTensor.ShapeArray).Concat(data.ShapeArray.Skip(axis + 1)).ToArray();
        var result = new Tensor(shape, new float[Tensor.CheckedLength(shape)], data.DataType);
        int outer = OperatorInputs.Product(data.Shape, 0, axis);
        int inner = OperatorInputs.Product(data.Shape, axis + 1, data.Rank);
        int dim = data.Shape[axis];
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < indices.Length; k++)
                data.Data.AsSpan((o * dim + indices[k]) * inner, inner).CopyTo(result.Data.AsSpan((o * indices.Length + k) * inner, inner));
        return [result];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        var data = OperatorInputs.Required(inputs, 0, "Gather");
        if (g is null || data.DataType != TensorDataType.Float32) return [null, null];
        int axis = OperatorInputs.Axis(_axis, data.Rank, "Gather");
        var indices = Indices(OperatorInputs.Required(inputs, 1, "Gather"), data.Shape[axis]);
        var dx = new Tensor(data.ShapeArray);
        int outer = OperatorInputs.Product(data.Shape, 0, axis);
        int inner = OperatorInputs.Product(data.Shape, axis + 1, data.Rank);
        int dim = data.Shape[axis];
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < indices.Length; k++)
                Elementwise.AddInPlace(dx.Data.AsSpan((o * dim + indices[k]) * inner, inner), g.Data.AsSpan((o * indices.Length + k) * inner, inner));
        return [dx, null];
    }
}
