using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Strided slice: starts/ends/axes attributes before opset 10, inputs (starts, ends, axes?, steps?)
/// from 10. Negative indices count from the end; starts and ends are clamped as the ONNX spec says
/// (so INT64_MAX-style ends mean "to the end", and −INT64_MAX with a negative step "to the front").
/// Backward writes dy into zeros at the sliced positions.
/// </summary>
[OnnxOperator("Slice")]
public sealed class SliceOperator : Operator
{
    private readonly int _opset;
    private readonly long[]? _starts, _ends, _axes;

    public SliceOperator(OnnxAttributes attributes, int opset)
    {
        _opset = opset;
        if (opset < 10)
        {
            _starts = attributes.GetInts("starts") ?? throw new ModelLoadException("Slice has no 'starts' attribute; re-export the model");
            _ends = attributes.GetInts("ends") ?? throw new ModelLoadException("Slice has no 'ends' attribute; re-export the model");
            _axes = attributes.GetInts("axes");
        }
    }

    /// <summary>The sliced view of x: output shape, offset of its first value and per-axis strides.</summary>
    private (int[] Shape, int Offset, int[] Strides) View(Tensor?[] inputs, Tensor x)
    {
        long[] starts, ends;
        long[]? axes, steps = null;
        if (_opset < 10)
        {
            (starts, ends, axes) = (_starts!, _ends!, _axes);
        }
        else
        {
            starts = OperatorInputs.Required(inputs, 1, "Slice").ToLongs();
            ends = OperatorInputs.Required(inputs, 2, "Slice").ToLongs();
            axes = OperatorInputs.Optional(inputs, 3)?.ToLongs();
            steps = OperatorInputs.Optional(inputs, 4)?.ToLongs();
        }
        if (ends.Length != starts.Length || (axes is not null && axes.Length != starts.Length) || (steps is not null && steps.Length != starts.Length))
            throw new ShapeMismatchException("Slice starts, ends, axes and steps have different lengths");
        var axisList = axes is null ? Enumerable.Range(0, starts.Length).ToArray() : OperatorInputs.Axes(axes, x.Rank, "Slice");
        var shape = x.ShapeArray;
        var own = Tensor.StridesOf(x.Shape);
        var strides = (int[])own.Clone();
        long offset = 0;
        for (int i = 0; i < axisList.Length; i++)
        {
            int axis = axisList[i];
            long dim = x.Shape[axis];
            long step = steps?[i] ?? 1;
            if (step == 0) throw new ShapeMismatchException("Slice step is 0; steps must be non-zero");
            long start = starts[i], end = ends[i];
            if (start < 0) start = start == long.MinValue ? 0 : start + dim;
            if (end < 0) end = end == long.MinValue ? -1 : end + dim;
            long count;
            if (step > 0)
            {
                start = Math.Clamp(start, 0, dim);
                end = Math.Clamp(end, 0, dim);
                count = end > start ? (end - start + step - 1) / step : 0;
            }
            else
            {
                start = Math.Clamp(start, 0, dim - 1);
                end = Math.Clamp(end, -1, dim - 1);
                count = start > end ? (start - end + (-step) - 1) / (-step) : 0;
            }
            shape[axis] = (int)count;
            if (count > 0) offset += start * own[axis];
            strides[axis] = (int)(step * own[axis]);
        }
        if (Tensor.CheckedLength(shape) == 0) offset = 0;
        return (shape, (int)offset, strides);
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Slice");
        var (shape, offset, strides) = View(inputs, x);
        var result = new Tensor(shape, new float[Tensor.CheckedLength(shape)], x.DataType);
        StridedCopy.Gather(x.Data, offset, shape, strides, result.Data);
        return [result];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        var x = OperatorInputs.Required(inputs, 0, "Slice");
        if (g is null || x.DataType != TensorDataType.Float32) return gradients;
        var (shape, offset, strides) = View(inputs, x);
        var dx = new Tensor(x.ShapeArray);
        StridedCopy.Scatter(g.Data, shape, dx.Data, offset, strides);
        gradients[0] = dx;
        return gradients;
    }
}
