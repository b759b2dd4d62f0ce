using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Graph.Operators;
using CnnLens.Tensors;

namespace CnnLens.Visualization;

/// <summary>
/// Receptive fields of every tensor of a model for one input size, derived from the graph:
/// Conv and pools grow the field by their dilated kernel and multiply the stride (padding shifts
/// it), Pad shifts it, ops that keep the spatial size (activations, BatchNorm, Add, Mul, Concat
/// along channels, ...) merge the fields of their inputs, and everything that mixes positions
/// (global pools, Gemm, Flatten/Reshape, Resize, ConvTranspose, spatial Softmax/reductions) sees
/// the whole image. Reflect/edge padding is treated like zero padding (same window).
/// </summary>
public sealed class ReceptiveFieldCalculator
{
    private static readonly HashSet<string> Windows = ["Conv", "MaxPool", "AveragePool", "LpPool"];

    private static readonly HashSet<string> MixesPositions =
    [
        "Transpose", "Reshape", "Flatten", "Resize", "Upsample", "ConvTranspose", "GlobalAveragePool", "GlobalMaxPool",
        "GlobalLpPool", "Gemm", "MatMul", "Gather", "Tile", "Expand", "DepthToSpace", "SpaceToDepth", "Squeeze", "Unsqueeze",
    ];

    private readonly Model _model;
    private readonly ReceptiveFieldGeometry?[] _geometry;
    private readonly int[]?[] _shapes;

    /// <summary>Works out the fields for inputs of <paramref name="inputHeight"/> x <paramref name="inputWidth"/> (one forward pass of zeros, for the shapes).</summary>
    public ReceptiveFieldCalculator(Model model, int inputHeight, int inputWidth)
    {
        _model = model;
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        var sample = SampleShape(model, inputHeight, inputWidth);
        var values = model.Executor.RunAll(new Tensor(sample));
        var graph = model.Graph;
        _shapes = values.Select(v => v?.ShapeArray).ToArray();
        _geometry = new ReceptiveFieldGeometry?[graph.SlotCount];
        _geometry[graph.InputSlot] = sample.Length == 4 ? ReceptiveFieldGeometry.Input : ReceptiveFieldGeometry.Whole;
        foreach (var node in graph.Nodes)
        {
            var result = Propagate(node, values);
            if (result is null) continue;
            foreach (int slot in node.OutputSlots)
                if (slot >= 0 && !graph.ShapeStatic[slot])
                    _geometry[slot] = values[slot] is { Rank: 4 } ? result : ReceptiveFieldGeometry.Whole;
        }
    }

    /// <summary>A calculator for inputs shaped like <paramref name="input"/> [N,C,H,W].</summary>
    public static ReceptiveFieldCalculator For(Model model, Tensor input)
    {
        if (input.Rank != 4) throw new ShapeMismatchException($"receptive fields need an image input [N,C,H,W], got {input}");
        return new ReceptiveFieldCalculator(model, input.Dim(2), input.Dim(3));
    }

    public int InputHeight { get; }

    public int InputWidth { get; }

    /// <summary>The per-axis field of <paramref name="tensor"/> (node output name), or whole image.</summary>
    public ReceptiveFieldGeometry GeometryOf(string tensor)
    {
        if (!_model.Graph.HasTensor(tensor)) throw LayerNames.NotFound(_model, tensor);
        return _geometry[_model.Graph.SlotOf(tensor)]
            ?? throw new InvalidOptionException($"tensor '{tensor}' does not depend on the input image (a constant or shape value); it has no receptive field");
    }

    /// <summary>
    /// The input rectangle position (<paramref name="y"/>, <paramref name="x"/>) of
    /// <paramref name="tensor"/> depends on. Tensors without spatial axes (logits) take any position
    /// (pass 0, 0) and see the whole image.
    /// </summary>
    public ReceptiveField Of(string tensor, int y, int x)
    {
        var geometry = GeometryOf(tensor);
        var shape = _shapes[_model.Graph.SlotOf(tensor)]!;
        if (shape.Length == 4 && (y < 0 || y >= shape[2] || x < 0 || x >= shape[3]))
            throw new InvalidOptionException($"position ({y}, {x}) is outside tensor '{tensor}' ({shape[2]}x{shape[3]})");
        if (geometry.WholeImage)
        {
            var whole = new PixelRectangle(0, 0, InputHeight, InputWidth);
            return new ReceptiveField(whole, whole);
        }
        var unclipped = new PixelRectangle(geometry.Vertical.First(y), geometry.Horizontal.First(x), geometry.Vertical.Size, geometry.Horizontal.Size);
        return new ReceptiveField(unclipped.ClipTo(InputHeight, InputWidth), unclipped);
    }

    private static int[] SampleShape(Model model, int height, int width)
    {
        if (height <= 0 || width <= 0) throw new InvalidOptionException($"input size {height}x{width} must be positive");
        if (model.InputShape is not { Length: 4 } declared) return model.SampleInputShape();
        int channels = declared[1].Value is long c && c > 0 ? (int)c
            : throw new ShapeMismatchException($"input '{model.InputName}' does not declare its channel count; receptive fields need it");
        return [1, channels, height, width];
    }

    private ReceptiveFieldGeometry? Propagate(GraphNode node, Tensor?[] values)
    {
        var graph = _model.Graph;
        // Only inputs computed from the image carry a field; weights, masks and shapes do not.
        var fed = node.InputSlots.Where(s => s >= 0 && _geometry[s] is not null).ToList();
        if (fed.Count == 0) return null;
        var fields = fed.Select(s => _geometry[s]!).ToList();
        if (fields.Any(f => f.WholeImage)) return ReceptiveFieldGeometry.Whole;

        int firstOutput = node.OutputSlots.FirstOrDefault(s => s >= 0, -1);
        var output = firstOutput >= 0 ? values[firstOutput] : null;
        if (output is not { Rank: 4 }) return ReceptiveFieldGeometry.Whole;
        var x = values[node.InputSlots[0]];
        if (Windows.Contains(node.OpType))
            return x is { Rank: 4 } && _geometry[node.InputSlots[0]] is { } g ? WindowGeometry(node, g, x, values) : ReceptiveFieldGeometry.Whole;
        if (node.OpType == "Pad") return PadGeometry(node, fields[0], x, output, values);
        if (MixesPositions.Contains(node.OpType) || MixesSpatialAxes(node)) return ReceptiveFieldGeometry.Whole;

        // Ops that keep each position where it is: every spatial input must have the output's size.
        foreach (int s in fed)
            if (values[s] is not { Rank: 4 } v || v.Dim(2) != output.Dim(2) || v.Dim(3) != output.Dim(3))
                return ReceptiveFieldGeometry.Whole;
        var merged = fields[0];
        foreach (var f in fields.Skip(1))
        {
            if (f.Vertical.Jump != merged.Vertical.Jump || f.Horizontal.Jump != merged.Horizontal.Jump)
                return ReceptiveFieldGeometry.Whole; // fields on different grids have no single rectangle rule
            merged = merged with { Vertical = merged.Vertical.Merge(f.Vertical), Horizontal = merged.Horizontal.Merge(f.Horizontal) };
        }
        return merged;
    }

    private static ReceptiveFieldGeometry WindowGeometry(GraphNode node, ReceptiveFieldGeometry input, Tensor x, Tensor?[] values)
    {
        var window = new SpatialWindow(node.Source.Attributes, node.OpType);
        ReadOnlySpan<int> weightSpatial = node.OpType == "Conv" && values[node.InputSlots[1]] is { Rank: 4 } w ? w.Shape[2..] : default;
        var kernel = window.KernelShape(2, weightSpatial);
        var strides = window.Strides(2);
        var dilations = window.Dilations(2);
        var (begin, _, _) = window.Resolve(x.Shape[2..], kernel, strides, dilations);
        return input with
        {
            Vertical = input.Vertical.Window(kernel[0], strides[0], dilations[0], begin[0]),
            Horizontal = input.Horizontal.Window(kernel[1], strides[1], dilations[1], begin[1]),
        };
    }

    private ReceptiveFieldGeometry PadGeometry(GraphNode node, ReceptiveFieldGeometry input, Tensor? x, Tensor output, Tensor?[] values)
    {
        if (x is not { Rank: 4 }) return ReceptiveFieldGeometry.Whole;
        long[]? pads = _model.Onnx.DefaultOpset < 11
            ? node.Source.Attributes.GetInts("pads") ?? node.Source.Attributes.GetInts("paddings")
            : node.InputSlots.Length > 1 && node.InputSlots[1] >= 0 ? values[node.InputSlots[1]]?.ToLongs() : null;
        bool allAxes = node.InputSlots.Length < 4 || node.InputSlots[3] < 0;
        if (pads is not { Length: 8 } || !allAxes) return ReceptiveFieldGeometry.Whole;
        return input with
        {
            Vertical = input.Vertical with { Start = input.Vertical.Start - (int)pads[2] * input.Vertical.Jump },
            Horizontal = input.Horizontal with { Start = input.Horizontal.Start - (int)pads[3] * input.Horizontal.Jump },
        };
    }

    /// <summary>Softmax over a spatial axis, or a reduction over H or W, mixes positions along it.</summary>
    private bool MixesSpatialAxes(GraphNode node)
    {
        var attributes = node.Source.Attributes;
        if (node.OpType is "Softmax" or "LogSoftmax")
        {
            long axis = attributes.GetInt("axis", _model.Onnx.DefaultOpset < 13 ? 1 : -1);
            return _model.Onnx.DefaultOpset < 13 || axis is not (1 or -3);
        }
        if (node.OpType.StartsWith("Reduce", StringComparison.Ordinal))
        {
            var axes = attributes.GetInts("axes");
            return axes is null || axes.Any(a => a is 2 or 3 or -1 or -2) || node.InputSlots.Length > 1;
        }
        return false;
    }
}
