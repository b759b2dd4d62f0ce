using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Base of ReduceSum, ReduceMean and ReduceMax: reduce over <c>axes</c> (an attribute until the
/// opset given by <see cref="AxesBecameInputAt"/>, then input 1; absent or empty means all axes,
/// or no reduction with <c>noop_with_empty_axes</c>), keeping reduced axes as 1 when <c>keepdims</c>.
/// </summary>
public abstract class ReduceOperator : Operator
{
    private readonly int _opset;
    private readonly long[]? _axesAttribute;
    private readonly bool _keepDims;
    private readonly bool _noopWithEmptyAxes;

    protected ReduceOperator(OnnxAttributes attributes, int opset)
    {
        _opset = opset;
        _axesAttribute = attributes.GetInts("axes");
        _keepDims = attributes.GetInt("keepdims", 1) != 0;
        _noopWithEmptyAxes = attributes.GetInt("noop_with_empty_axes", 0) != 0;
    }

    protected abstract string OpType { get; }

    /// <summary>The first opset where the axes moved from an attribute to input 1.</summary>
    protected abstract int AxesBecameInputAt { get; }

    /// <summary>The reduced values in the keepdims shape <paramref name="keptShape"/>.</summary>
    protected abstract Tensor Reduce(Tensor x, int[] keptShape, bool[] reduced);

    /// <summary>dx from x, the reduced output (in the keepdims shape) and dy (same shape).</summary>
    protected abstract Tensor Gradient(Tensor x, Tensor keptOutput, Tensor keptGradient);

    /// <summary>Which axes are reduced; null means the operator is the identity (noop_with_empty_axes).</summary>
    private bool[]? ReducedAxes(Tensor?[] inputs, int rank)
    {
        long[]? axes = _opset >= AxesBecameInputAt ? OperatorInputs.Optional(inputs, 1)?.ToLongs() : _axesAttribute;
        var reduced = new bool[rank];
        if (axes is null || axes.Length == 0)
        {
            if (_noopWithEmptyAxes) return null;
            Array.Fill(reduced, true);
            return reduced;
        }
        foreach (int a in OperatorInputs.Axes(axes, rank, OpType)) reduced[a] = true;
        return reduced;
    }

    private static int[] KeptShape(Tensor x, bool[] reduced) => x.ShapeArray.Select((d, i) => reduced[i] ? 1 : d).ToArray();

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, OpType);
        var reduced = ReducedAxes(inputs, x.Rank);
        if (reduced is null) return [x.Reshape(x.ShapeArray)];
        var kept = Reduce(x, KeptShape(x, reduced), reduced);
        if (_keepDims) return [kept];
        return [kept.Reshape(x.ShapeArray.Where((_, i) => !reduced[i]).ToArray())];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        var x = OperatorInputs.Required(inputs, 0, OpType);
        if (g is null || x.DataType != TensorDataType.Float32) return gradients;
        var reduced = ReducedAxes(inputs, x.Rank);
        if (reduced is null)
        {
            gradients[0] = g;
            return gradients;
        }
        var kept = KeptShape(x, reduced);
        gradients[0] = Gradient(x, outputs[0].Reshape(kept), g.Reshape(kept));
        return gradients;
    }
}
