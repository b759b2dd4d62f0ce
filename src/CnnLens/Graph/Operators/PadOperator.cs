using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Pads (or, with negative pads, crops) each axis: mode constant (value), reflect (mirror without
/// repeating the edge) or edge (repeat the edge). Pads and value are attributes before opset 11,
/// inputs from 11; opset 18 adds an optional axes input. Backward sums dy back through the same
/// index map, so every mode has its exact gradient.
/// </summary>
[OnnxOperator("Pad")]
public sealed class PadOperator : Operator
{
    private readonly int _opset;
    private readonly string _mode;
    private readonly long[]? _padsAttribute;
    private readonly float _valueAttribute;

    public PadOperator(OnnxAttributes attributes, int opset)
    {
        _opset = opset;
        _mode = attributes.GetString("mode", "constant");
        if (_mode is not ("constant" or "reflect" or "edge"))
            throw new UnsupportedOperatorException($"Pad mode '{_mode}' is not supported (constant, reflect, edge)");
        if (opset < 11)
        {
            _padsAttribute = attributes.GetInts(opset < 2 ? "paddings" : "pads") ?? attributes.GetInts("pads")
                ?? throw new ModelLoadException("Pad has no 'pads' attribute; re-export the model");
            _valueAttribute = attributes.GetFloat("value", 0f);
        }
    }

    private (int[][] Maps, int[] Shape, float Value) Layout(Tensor?[] inputs, Tensor x)
    {
        long[] pads;
        float value;
        int[] axes;
        if (_opset < 11)
        {
            pads = _padsAttribute!;
            value = _valueAttribute;
            axes = Enumerable.Range(0, x.Rank).ToArray();
        }
        else
        {
            pads = OperatorInputs.Required(inputs, 1, "Pad").ToLongs();
            value = OperatorInputs.Optional(inputs, 2) is { Length: > 0 } v ? v.Data[0] : 0f;
            axes = OperatorInputs.Optional(inputs, 3) is { } a
                ? OperatorInputs.Axes(a.ToLongs(), x.Rank, "Pad")
                : Enumerable.Range(0, x.Rank).ToArray();
        }
        if (pads.Length != 2 * axes.Length)
            throw new ShapeMismatchException($"Pad has {pads.Length} pads for {axes.Length} axes; it needs two per axis");
        var maps = new int[x.Rank][];
        var shape = x.ShapeArray;
        for (int d = 0; d < x.Rank; d++) maps[d] = Enumerable.Range(0, shape[d]).ToArray();
        for (int i = 0; i < axes.Length; i++)
        {
            int axis = axes[i];
            long before = pads[i], after = pads[i + axes.Length];
            int n = x.Shape[axis];
            long length = n + before + after;
            if (length < 0) throw new ShapeMismatchException($"Pad crops axis {axis} of size {n} below zero");
            if (length > 0 && n == 0 && _mode != "constant")
                throw new ShapeMismatchException($"Pad mode '{_mode}' cannot pad an empty axis");
            var map = new int[length];
            for (int o = 0; o < length; o++) map[o] = SourceIndex(o - before, n);
            maps[axis] = map;
            shape[axis] = (int)length;
        }
        return (maps, shape, value);
    }

    private int SourceIndex(long i, int n)
    {
        if (i >= 0 && i < n) return (int)i;
        switch (_mode)
        {
            case "edge":
                return i < 0 ? 0 : n - 1;
            case "reflect":
                if (n == 1) return 0;
                long period = 2L * (n - 1);
                long m = ((i % period) + period) % period;
                return (int)(m < n ? m : period - m);
            default:
                return -1;
        }
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Pad");
        var (maps, shape, value) = Layout(inputs, x);
        var result = new Tensor(shape, new float[Tensor.CheckedLength(shape)], x.DataType);
        AxisIndexMap.Gather(x.Data, x.Shape, maps, result.Data, value);
        return [result];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        var x = OperatorInputs.Required(inputs, 0, "Pad");
        if (g is null || x.DataType != TensorDataType.Float32) return gradients;
        var (maps, _, _) = Layout(inputs, x);
        var dx = new Tensor(x.ShapeArray);
        AxisIndexMap.ScatterAdd(g.Data, maps, dx.Data, x.Shape);
        gradients[0] = dx;
        return gradients;
    }
}
