using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Splits along an axis: sizes from the <c>split</c> attribute (before opset 13) or input 1 (from
/// 13); otherwise <c>num_outputs</c> (opset 18, last part smaller when uneven) or equal parts, one
/// per node output. Backward concatenates the output gradients (zeros where one is absent).
/// </summary>
[OnnxOperator("Split")]
public sealed class SplitOperator : Operator, IOutputCountAware
{
    private readonly long _axis;
    private readonly long[]? _splitAttribute;
    private readonly int _opset;
    private int _outputCount;

    public SplitOperator(OnnxAttributes attributes, int opset)
    {
        _opset = opset;
        _axis = attributes.GetInt("axis", 0);
        _splitAttribute = opset < 13 ? attributes.GetInts("split") : null;
        _outputCount = (int)attributes.GetInt("num_outputs", 0);
    }

    /// <inheritdoc/>
    public void SetOutputCount(int count)
    {
        if (_outputCount == 0) _outputCount = count;
    }

    private int[] Sizes(Tensor?[] inputs, int dim)
    {
        long[]? split = _opset >= 13 ? OperatorInputs.Optional(inputs, 1)?.ToLongs() : _splitAttribute;
        if (split is { Length: > 0 })
        {
            if (split.Sum() != dim) throw new ShapeMismatchException($"Split sizes [{string.Join(",", split)}] do not add up to the axis size {dim}");
            return OperatorInputs.Dims(split, "Split");
        }
        if (_outputCount <= 0)
            throw new ShapeMismatchException("Split has neither sizes nor an output count; the graph builder must call SetOutputCount");
        var sizes = new int[_outputCount];
        int chunk = (dim + _outputCount - 1) / _outputCount;
        if (_opset < 18 && dim % _outputCount != 0)
            throw new ShapeMismatchException($"Split cannot divide axis size {dim} into {_outputCount} equal parts");
        for (int i = 0, left = dim; i < sizes.Length; i++, left -= chunk) sizes[i] = Math.Max(0, Math.Min(chunk, left));
        return sizes;
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Split");
        int axis = OperatorInputs.Axis(_axis, x.Rank, "Split");
        var sizes = Sizes(inputs, x.Shape[axis]);
        int outer = OperatorInputs.Product(x.Shape, 0, axis);
        int inner = OperatorInputs.Product(x.Shape, axis + 1, x.Rank);
        int rowLength = x.Shape[axis] * inner;
        var outputs = new Tensor[sizes.Length];
        int offset = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            var shape = x.ShapeArray;
            shape[axis] = sizes[i];
            var part = new Tensor(shape, new float[Tensor.CheckedLength(shape)], x.DataType);
            int run = sizes[i] * inner;
            for (int o = 0; o < outer; o++) x.Data.AsSpan(o * rowLength + offset, run).CopyTo(part.Data.AsSpan(o * run, run));
            offset += run;
            outputs[i] = part;
        }
        return outputs;
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var x = OperatorInputs.Required(inputs, 0, "Split");
        if (x.DataType != TensorDataType.Float32 || outputGradients.All(g => g is null)) return gradients;
        int axis = OperatorInputs.Axis(_axis, x.Rank, "Split");
        int outer = OperatorInputs.Product(x.Shape, 0, axis);
        int inner = OperatorInputs.Product(x.Shape, axis + 1, x.Rank);
        int rowLength = x.Shape[axis] * inner;
        var dx = new Tensor(x.ShapeArray);
        int offset = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            int run = outputs[i].Shape[axis] * inner;
            if (i < outputGradients.Length && outputGradients[i] is { } g)
                for (int o = 0; o < outer; o++) g.Data.AsSpan(o * run, run).CopyTo(dx.Data.AsSpan(o * rowLength + offset, run));
            offset += run;
        }
        gradients[0] = dx;
        return gradients;
    }
}
