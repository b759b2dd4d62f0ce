using CnnLens.Graph.Operators;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// Forward passes of perturbed copies of one image that differ from it only inside a rectangle
/// (occlusion windows, ablated features): every layer is recomputed only inside the region its
/// receptive field ties to the change, reading the rest from the cached activations of the
/// unperturbed image (Krypton, Nakandala et al., SIGMOD 2019). Convolutions and pools grow the
/// region by their window; per-position layers (activations, BatchNorm, residual Add, channel
/// Concat) keep it. A layer that mixes all positions (global pooling, Flatten, Gemm, anything not
/// listed) or a region covering more than <see cref="FullFraction"/> of its tensor switches that
/// branch to full recomputation. Gives the same numbers as a full forward (up to float summation order).
/// </summary>
public sealed class IncrementalForward
{
    /// <summary>Default share of a layer's positions above which recomputing everything is cheaper than the bookkeeping.</summary>
    public const double DefaultFullFraction = 0.6;

    private static readonly HashSet<string> PerPositionOps =
    [
        "Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "BatchNormalization", "Identity",
        "Dropout", "Abs", "Neg", "Exp", "Log", "Sqrt", "Erf", "PRelu", "Add", "Sub", "Mul", "Div", "Max", "Min",
        "Sum", "Pow", "Reciprocal", "LRN", "Concat",
    ];

    private readonly Model _model;
    private readonly ComputationGraph _graph;
    private readonly Tensor?[] _unperturbed;
    private readonly bool[] _dependsOnInput;
    private readonly Dictionary<GraphNode, Operator> _validWindowOps = new();
    private readonly Dictionary<int, Tensor?[]> _shapeValuesByBatch = new();
    private readonly int _logitsSlot;

    /// <summary>Runs the unperturbed <paramref name="image"/> [1,C,H,W] once and keeps every activation.</summary>
    public IncrementalForward(Model model, Tensor image, double fullFraction = DefaultFullFraction)
    {
        if (image.Rank != 4 || image.Dim(0) != 1)
            throw new ShapeMismatchException($"incremental forward starts from one image [1,C,H,W], got {image}");
        _model = model;
        _graph = model.Graph;
        FullFraction = fullFraction;
        _unperturbed = model.Executor.RunAll(image);
        _logitsSlot = _graph.SlotOf(model.LogitsName);
        _dependsOnInput = new bool[_graph.SlotCount];
        _dependsOnInput[_graph.InputSlot] = true;
        foreach (var node in _graph.Nodes)
            if (node.InputSlots.Any(s => s >= 0 && _dependsOnInput[s]))
                foreach (int s in node.OutputSlots)
                    if (s >= 0) _dependsOnInput[s] = true;
    }

    public double FullFraction { get; }

    /// <summary>Nodes of the last run computed on a region only / in full (diagnostics and tests).</summary>
    public (int Incremental, int Full) LastRun { get; private set; }

    /// <summary>The logits [n, classes] of the n copies of the image that <paramref name="input"/> describes.</summary>
    public Tensor Logits(SpatialPatch input)
    {
        var image = _unperturbed[_graph.InputSlot]!;
        if (input.Values.Dim(1) != image.Dim(1))
            throw new ShapeMismatchException($"patch {input.Values} does not have the {image.Dim(1)} channels of the image {image}");
        int n = input.Count;
        var state = new object?[_graph.SlotCount]; // null: unperturbed; SpatialPatch: changed in a window; Tensor: all n copies in full
        state[_graph.InputSlot] = input;
        var remaining = (int[])_graph.ConsumerCount.Clone();
        int incremental = 0, full = 0;
        foreach (var node in _graph.Nodes)
        {
            bool changed = node.InputSlots.Any(s => s >= 0 && state[s] is not null);
            bool shapeOnly = node.OutputSlots.All(s => s < 0 || _graph.ShapeStatic[s]);
            if (changed && !shapeOnly)
            {
                if (TryWindow(node, state, n) || TryPerPosition(node, state, n)) incremental++;
                else
                {
                    RunFull(node, state, n);
                    full++;
                }
            }
            foreach (int s in node.InputSlots)
                if (s >= 0 && --remaining[s] == 0 && s != _logitsSlot) state[s] = null; // last reader done
        }
        LastRun = (incremental, full);
        return Materialize(_logitsSlot, state, n);
    }

    /// <summary>Conv, MaxPool, AveragePool: the output positions whose window touches the changed input, from a gathered input window.</summary>
    private bool TryWindow(GraphNode node, object?[] state, int n)
    {
        if (node.OpType is not ("Conv" or "MaxPool" or "AveragePool") || node.OutputSlots.Count(s => s >= 0) != 1 || node.OutputSlots[0] < 0) return false;
        if (state[node.InputSlots[0]] is not SpatialPatch patch) return false;
        if (node.InputSlots.Skip(1).Any(s => s >= 0 && _dependsOnInput[s])) return false;
        var x = _unperturbed[node.InputSlots[0]]!;
        var y = _unperturbed[node.OutputSlots[0]]!;
        if (x.Rank != 4 || y.Rank != 4) return false;

        var attributes = node.Source.Attributes;
        var window = new SpatialWindow(attributes, node.OpType);
        var weights = node.OpType == "Conv" ? _unperturbed[node.InputSlots[1]] : null;
        int[] kernel = window.KernelShape(2, weights is null ? [] : weights.ShapeArray.AsSpan(2));
        int[] strides = window.Strides(2), dilations = window.Dilations(2);
        var (padsBegin, _, output) = window.Resolve([x.Dim(2), x.Dim(3)], kernel, strides, dilations);
        if (output[0] != y.Dim(2) || output[1] != y.Dim(3)) return false;
        float outside = 0f;
        if (node.OpType == "MaxPool") outside = float.NegativeInfinity;
        if (node.OpType == "AveragePool")
        {
            bool padded = padsBegin.Any(p => p != 0) || window.CeilMode || window.AutoPad is "SAME_UPPER" or "SAME_LOWER";
            // Clipped windows divide by fewer elements than a gathered window would: recompute those in full.
            if (padded && (attributes.GetInt("count_include_pad", 0) == 0 || window.CeilMode)) return false;
        }

        var (rowTops, rowCount) = OutputRange(patch.Tops, patch.Height, padsBegin[0], kernel[0], strides[0], dilations[0], y.Dim(2));
        var (colLefts, colCount) = OutputRange(patch.Lefts, patch.Width, padsBegin[1], kernel[1], strides[1], dilations[1], y.Dim(3));
        if ((double)rowCount * colCount > FullFraction * y.Dim(2) * y.Dim(3)) return false;

        int extentH = (kernel[0] - 1) * dilations[0] + 1, extentW = (kernel[1] - 1) * dilations[1] + 1;
        var inTops = rowTops.Select(o => o * strides[0] - padsBegin[0]).ToArray();
        var inLefts = colLefts.Select(o => o * strides[1] - padsBegin[1]).ToArray();
        var gathered = SpatialPatch.Gather(x, patch, n, inTops, inLefts, (rowCount - 1) * strides[0] + extentH, (colCount - 1) * strides[1] + extentW, outside);

        var inputs = new Tensor?[node.InputSlots.Length];
        inputs[0] = gathered;
        for (int i = 1; i < inputs.Length; i++) inputs[i] = node.InputSlots[i] >= 0 ? _unperturbed[node.InputSlots[i]] : null;
        var result = ValidWindowOperator(node).Forward(inputs)[0];
        if (result.Dim(2) != rowCount || result.Dim(3) != colCount)
            throw new InvalidOperationException($"incremental {node}: computed a {result.Dim(2)}x{result.Dim(3)} window, expected {rowCount}x{colCount}");
        state[node.OutputSlots[0]] = new SpatialPatch(rowTops, colLefts, result);
        return true;
    }

    /// <summary>
    /// Output positions along one axis whose window reads any of the changed inputs [top, top+size):
    /// one common count for all copies (the largest), each start moved inward so it fits.
    /// </summary>
    private static (int[] Starts, int Count) OutputRange(int[] tops, int size, int padBegin, int kernel, int stride, int dilation, int outSize)
    {
        int extent = (kernel - 1) * dilation + 1;
        var starts = new int[tops.Length];
        var ends = new int[tops.Length];
        int count = 1;
        for (int i = 0; i < tops.Length; i++)
        {
            // Output o reads inputs [o*stride - pad, o*stride - pad + extent).
            starts[i] = Math.Max(0, CeilDiv(tops[i] + padBegin - extent + 1, stride));
            ends[i] = Math.Min(outSize - 1, FloorDiv(tops[i] + size - 1 + padBegin, stride));
            count = Math.Max(count, ends[i] - starts[i] + 1);
        }
        count = Math.Min(count, outSize);
        for (int i = 0; i < tops.Length; i++) starts[i] = Math.Clamp(starts[i], 0, outSize - count);
        return (starts, count);
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static int CeilDiv(int a, int b) => -FloorDiv(-a, b);

    /// <summary>The node's operator with its padding removed (the gathered input carries it) and no ceil mode.</summary>
    private Operator ValidWindowOperator(GraphNode node)
    {
        lock (_validWindowOps)
        {
            if (_validWindowOps.TryGetValue(node, out var cached)) return cached;
            var attributes = new OnnxAttributes();
            foreach (var name in node.Source.Attributes.Names)
                if (name is not ("pads" or "auto_pad" or "ceil_mode")) attributes.Set(name, node.Source.Attributes.GetRaw(name)!);
            var source = new OnnxNode { Name = node.Name, OpType = node.OpType, Attributes = attributes, Inputs = [.. node.Source.Inputs], Outputs = [node.Source.Outputs[0]] };
            return _validWindowOps[node] = OperatorRegistry.Create(source, _model.Onnx.DefaultOpset);
        }
    }

    /// <summary>Layers that compute each position from the same position of their inputs: run on the union window only.</summary>
    private bool TryPerPosition(GraphNode node, object?[] state, int n)
    {
        if (!PerPositionOps.Contains(node.OpType) || node.OutputSlots.Count(s => s >= 0) != 1 || node.OutputSlots[0] < 0) return false;
        var y = _unperturbed[node.OutputSlots[0]]!;
        if (y.Rank != 4 || y.Dim(0) != 1) return false;
        if (node.OpType == "Concat" && node.Source.Attributes.GetInt("axis", 1) is not (1 or -3)) return false;
        int height = y.Dim(2), width = y.Dim(3);
        var patches = new List<SpatialPatch>();
        foreach (int s in node.InputSlots)
        {
            if (s < 0) continue;
            var value = _unperturbed[s]!;
            if (_dependsOnInput[s] && !_graph.ShapeStatic[s])
            {
                if (value.Rank != 4 || value.Dim(0) != 1 || value.Dim(2) != height || value.Dim(3) != width) return false;
                if (state[s] is SpatialPatch p) patches.Add(p);
                else if (state[s] is not null) return false; // already full
            }
            else if (node.OpType != "BatchNormalization" && !BroadcastsOverPositions(value)) return false;
        }
        if (patches.Count == 0) return false;

        // One window holding every input's change, the same size in all copies.
        var tops = new int[n];
        var lefts = new int[n];
        int h = 1, w = 1;
        var bottoms = new int[n];
        var rights = new int[n];
        for (int i = 0; i < n; i++)
        {
            tops[i] = patches.Min(p => p.Tops[i]);
            lefts[i] = patches.Min(p => p.Lefts[i]);
            bottoms[i] = patches.Max(p => p.Tops[i] + p.Height);
            rights[i] = patches.Max(p => p.Lefts[i] + p.Width);
            h = Math.Max(h, bottoms[i] - tops[i]);
            w = Math.Max(w, rights[i] - lefts[i]);
        }
        if ((double)h * w > FullFraction * height * width) return false;
        for (int i = 0; i < n; i++)
        {
            tops[i] = Math.Clamp(tops[i], 0, height - h);
            lefts[i] = Math.Clamp(lefts[i], 0, width - w);
        }

        var inputs = new Tensor?[node.InputSlots.Length];
        for (int k = 0; k < inputs.Length; k++)
        {
            int s = node.InputSlots[k];
            if (s < 0) continue;
            inputs[k] = _dependsOnInput[s] && !_graph.ShapeStatic[s]
                ? SpatialPatch.Gather(_unperturbed[s]!, state[s] as SpatialPatch, n, tops, lefts, h, w)
                : _unperturbed[s];
        }
        var result = node.Operator.Forward(inputs)[0];
        state[node.OutputSlots[0]] = new SpatialPatch(tops, lefts, result);
        return true;
    }

    /// <summary>A constant that broadcasts the same value to every position (a scalar, or trailing spatial dims of 1).</summary>
    private static bool BroadcastsOverPositions(Tensor value) =>
        value.Length == 1 || (value.Rank is 2 or 3 or 4 && value.Dim(-1) == 1 && value.Dim(-2) == 1 && (value.Rank < 4 || value.Dim(0) == 1));

    /// <summary>Runs a node on all n copies in full.</summary>
    private void RunFull(GraphNode node, object?[] state, int n)
    {
        var inputs = new Tensor?[node.InputSlots.Length];
        for (int k = 0; k < inputs.Length; k++)
            if (node.InputSlots[k] >= 0) inputs[k] = Materialize(node.InputSlots[k], state, n);
        var outputs = node.Operator.Forward(inputs);
        for (int k = 0; k < node.OutputSlots.Length && k < outputs.Length; k++)
            if (node.OutputSlots[k] >= 0) state[node.OutputSlots[k]] = outputs[k];
    }

    /// <summary>The value of a slot for all n copies: [n,...] for tensors that depend on the image, as-is for constants.</summary>
    private Tensor Materialize(int slot, object?[] state, int n)
    {
        if (state[slot] is Tensor full) return full;
        var value = _unperturbed[slot]!;
        if (_graph.ShapeStatic[slot] && _dependsOnInput[slot]) return ShapeValues(n)[slot]!;
        if (!_dependsOnInput[slot]) return value;
        if (state[slot] is SpatialPatch patch)
            return SpatialPatch.Gather(value, patch, n, new int[n], new int[n], value.Dim(2), value.Dim(3));
        // Unchanged: n copies of the image's activation.
        var repeated = new Tensor([n * value.Dim(0), .. value.ShapeArray[1..]]);
        for (int i = 0; i < n; i++) value.Data.CopyTo(repeated.Data, i * value.Length);
        return repeated;
    }

    /// <summary>Values computed from the input's shape (Shape -> Gather -> Reshape chains) for a batch of n.</summary>
    private Tensor?[] ShapeValues(int n)
    {
        lock (_shapeValuesByBatch)
        {
            if (_shapeValuesByBatch.TryGetValue(n, out var values)) return values;
            var image = _unperturbed[_graph.InputSlot]!;
            // One forward of zeros keeping only the shape values (not every activation of n copies).
            return _shapeValuesByBatch[n] = _model.Executor.RunSlots(new Tensor([n, .. image.ShapeArray[1..]]), (bool[])_graph.ShapeStatic.Clone());
        }
    }
}
