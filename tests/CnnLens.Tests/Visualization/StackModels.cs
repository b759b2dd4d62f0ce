using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Tests.Visualization;

/// <summary>
/// Hand-built single-channel stacks of windows for receptive-field tests: every Conv has one
/// filter of ones (so, on a positive input, the gradient of an output position is positive at
/// every input pixel its field covers), pools and elementwise merges as named. Tensor names are
/// "t1", "t2", ... in order; the input is "x" [1,1,size,size].
/// </summary>
public sealed class StackModels
{
    private readonly OnnxGraph _graph;
    private string _last = "x";
    private int _count;

    public StackModels(int size, int channels = 1)
    {
        Size = size;
        Channels = channels;
        _graph = new OnnxGraph
        {
            Name = "stack",
            Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(1, null), new(channels, null), new(size, null), new(size, null)] } },
        };
    }

    public int Size { get; }

    public int Channels { get; }

    public string Last => _last;

    public StackModels Conv(int kernel, int stride = 1, int pad = 0, int dilation = 1, string? from = null, int inChannels = 1, int outChannels = 1) =>
        Add("Conv", from, new() { ["kernel_shape"] = new long[] { kernel, kernel }, ["strides"] = new long[] { stride, stride },
            ["pads"] = new long[] { pad, pad, pad, pad }, ["dilations"] = new long[] { dilation, dilation } },
            Tensor.Filled([outChannels, inChannels, kernel, kernel], 1f));

    /// <summary>A 3x3 ones Conv with <c>auto_pad</c> instead of explicit pads.</summary>
    public StackModels AutoPadConv(string autoPad, int stride) =>
        Add("Conv", null, new() { ["kernel_shape"] = new long[] { 3, 3 }, ["strides"] = new long[] { stride, stride }, ["auto_pad"] = autoPad },
            Tensor.Filled([1, 1, 3, 3], 1f));

    public StackModels Pool(string opType, int kernel, int stride, int pad = 0) =>
        Add(opType, null, new() { ["kernel_shape"] = new long[] { kernel, kernel }, ["strides"] = new long[] { stride, stride }, ["pads"] = new long[] { pad, pad, pad, pad } }, null);

    public StackModels Unary(string opType) => Add(opType, null, new(), null);

    /// <summary>Adds tensors <paramref name="a"/> and <paramref name="b"/> (an elementwise merge).</summary>
    public StackModels Sum(string a, string b)
    {
        string name = $"t{++_count}";
        _graph.Nodes.Add(new OnnxNode { Name = $"n{_count}", OpType = "Add", Inputs = [a, b], Outputs = [name] });
        _last = name;
        return this;
    }

    public Model Build()
    {
        _graph.Outputs.Add(new OnnxValueInfo { Name = _last });
        return Model.FromOnnx(new OnnxModel { Graph = _graph, Opsets = { [""] = 13 } }, "stack");
    }

    private StackModels Add(string opType, string? from, Dictionary<string, object> attributes, Tensor? weight)
    {
        string name = $"t{++_count}";
        string[] inputs = weight is null ? [from ?? _last] : [from ?? _last, $"w{_count}"];
        if (weight is not null) _graph.Initializers[$"w{_count}"] = weight;
        var node = new OnnxNode { Name = $"n{_count}", OpType = opType, Inputs = inputs, Outputs = [name] };
        foreach (var (key, value) in attributes) node.Attributes.Set(key, value);
        _graph.Nodes.Add(node);
        _last = name;
        return this;
    }
}
