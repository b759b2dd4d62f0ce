using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Training;

/// <summary>What a network tensor is for: decides its initial value and whether the optimiser updates it.</summary>
public enum ParameterKind
{
    Weight,
    Bias,
    NormScale,
    NormShift,
    RunningMean,
    RunningVariance,

    /// <summary>Fixed input statistics of the normalisation nodes (never updated).</summary>
    InputStatistic,
}

/// <summary>
/// Writes a network as ONNX nodes, layer by layer, tracking each tensor's [C, H, W] so weight shapes
/// and fan-ins follow. The same code emits the training graph (BatchNormalization with
/// training_mode = 1 and running-statistic outputs) and the inference graph that is saved.
/// </summary>
internal sealed class NetworkBuilder
{
    public const string InputName = "input";
    public const string OutputName = "logits";

    private readonly bool _training;
    private readonly Func<string, int[], ParameterKind, int, Tensor> _parameter;
    private readonly Dictionary<string, (int C, int H, int W)> _shapes = new(StringComparer.Ordinal);
    private int _nodeCount;

    public NetworkBuilder(bool training, Func<string, int[], ParameterKind, int, Tensor> parameter)
    {
        _training = training;
        _parameter = parameter;
    }

    public List<OnnxNode> Nodes { get; } = new();

    public Dictionary<string, Tensor> Initializers { get; } = new(StringComparer.Ordinal);

    /// <summary>Name and kind of every parameter, in creation order.</summary>
    public List<(string Name, ParameterKind Kind)> Parameters { get; } = new();

    /// <summary>Training graph only: running-statistic buffer name → the tensor holding its updated value.</summary>
    public Dictionary<string, string> RunningStatisticOutputs { get; } = new(StringComparer.Ordinal);

    public string Input(int channels, int height, int width)
    {
        _shapes[InputName] = (channels, height, width);
        return InputName;
    }

    public (int C, int H, int W) ShapeOf(string tensor) => _shapes[tensor];

    public string Conv(string layer, string x, int outChannels, int kernel, int stride = 1, int pad = 0, bool bias = true)
    {
        var (c, h, w) = _shapes[x];
        int outH = (h + 2 * pad - kernel) / stride + 1, outW = (w + 2 * pad - kernel) / stride + 1;
        if (outH < 1 || outW < 1)
            throw new InvalidOptionException($"layer {layer} needs a larger input than {h}x{w}; resize the images (--size)");
        int fanIn = c * kernel * kernel;
        var inputs = new List<string> { x, Parameter($"{layer}.weight", [outChannels, c, kernel, kernel], ParameterKind.Weight, fanIn) };
        if (bias) inputs.Add(Parameter($"{layer}.bias", [outChannels], ParameterKind.Bias, fanIn));
        var attributes = new OnnxAttributes();
        attributes.Set("kernel_shape", new long[] { kernel, kernel });
        attributes.Set("strides", new long[] { stride, stride });
        attributes.Set("pads", new long[] { pad, pad, pad, pad });
        return Node("Conv", layer, [.. inputs], attributes, (outChannels, outH, outW));
    }

    public string BatchNorm(string layer, string x)
    {
        var shape = _shapes[x];
        int c = shape.C;
        string[] inputs =
        [
            x,
            Parameter($"{layer}.weight", [c], ParameterKind.NormScale, c),
            Parameter($"{layer}.bias", [c], ParameterKind.NormShift, c),
            Parameter($"{layer}.running_mean", [c], ParameterKind.RunningMean, c),
            Parameter($"{layer}.running_var", [c], ParameterKind.RunningVariance, c),
        ];
        var attributes = new OnnxAttributes();
        attributes.Set("epsilon", 1e-5f);
        attributes.Set("momentum", 0.9f); // PyTorch's momentum 0.1 in ONNX's convention
        if (!_training) return Node("BatchNormalization", layer, inputs, attributes, shape);
        attributes.Set("training_mode", 1L);
        string output = layer + ".out";
        string mean = layer + ".running_mean.next", variance = layer + ".running_var.next";
        Nodes.Add(new OnnxNode { Name = layer, OpType = "BatchNormalization", Inputs = inputs, Outputs = [output, mean, variance], Attributes = attributes });
        RunningStatisticOutputs[inputs[3]] = mean;
        RunningStatisticOutputs[inputs[4]] = variance;
        _shapes[output] = shape;
        return output;
    }

    /// <summary>(x − mean) / std per channel, as Sub and Div nodes with [1, C, 1, 1] constants.</summary>
    public string Normalize(string x)
    {
        var shape = _shapes[x];
        string mean = Parameter("normalize.mean", [1, shape.C, 1, 1], ParameterKind.InputStatistic, 1);
        string std = Parameter("normalize.std", [1, shape.C, 1, 1], ParameterKind.InputStatistic, 1);
        string centred = Node("Sub", "normalize", [x, mean], new OnnxAttributes(), shape);
        return Node("Div", "normalize", [centred, std], new OnnxAttributes(), shape);
    }

    public string Relu(string x) => Node("Relu", "relu", [x], new OnnxAttributes(), _shapes[x]);

    public string Add(string a, string b) => Node("Add", "add", [a, b], new OnnxAttributes(), _shapes[a]);

    public string MaxPool(string x, int size)
    {
        var (c, h, w) = _shapes[x];
        if (h / size < 1 || w / size < 1)
            throw new InvalidOptionException($"max pooling needs a larger input than {h}x{w}; resize the images (--size)");
        var attributes = new OnnxAttributes();
        attributes.Set("kernel_shape", new long[] { size, size });
        attributes.Set("strides", new long[] { size, size });
        return Node("MaxPool", "pool", [x], attributes, (c, h / size, w / size));
    }

    public string GlobalAveragePool(string x)
    {
        var (c, _, _) = _shapes[x];
        return Node("GlobalAveragePool", "gap", [x], new OnnxAttributes(), (c, 1, 1));
    }

    public string Flatten(string x)
    {
        var (c, h, w) = _shapes[x];
        var attributes = new OnnxAttributes();
        attributes.Set("axis", 1L);
        return Node("Flatten", "flatten", [x], attributes, (c * h * w, 1, 1));
    }

    /// <summary>PyTorch's nn.Linear: Gemm with B = weight [out, in] transposed.</summary>
    public string Linear(string layer, string x, int outFeatures, string? outputName = null)
    {
        var (features, _, _) = _shapes[x];
        var attributes = new OnnxAttributes();
        attributes.Set("transB", 1L);
        string[] inputs =
        [
            x,
            Parameter($"{layer}.weight", [outFeatures, features], ParameterKind.Weight, features),
            Parameter($"{layer}.bias", [outFeatures], ParameterKind.Bias, features),
        ];
        return Node("Gemm", layer, inputs, attributes, (outFeatures, 1, 1), outputName);
    }

    /// <summary>The ONNX model: input [batch, C, H, W], output logits [batch, classes].</summary>
    public OnnxModel ToModel(string logits, Dictionary<string, string> metadata)
    {
        var (c, h, w) = _shapes[InputName];
        var (classes, _, _) = _shapes[logits];
        return new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "cnnlens_trained",
                Nodes = Nodes,
                Initializers = Initializers,
                Inputs = [new OnnxValueInfo { Name = InputName, Shape = [new(null, "batch"), new(c, null), new(h, null), new(w, null)] }],
                Outputs = [new OnnxValueInfo { Name = logits, Shape = [new(null, "batch"), new(classes, null)] }],
            },
            Opsets = new Dictionary<string, int> { [""] = 15 },
            IrVersion = 8,
            ProducerName = "cnnlens",
            Metadata = metadata,
        };
    }

    private string Parameter(string name, int[] shape, ParameterKind kind, int fanIn)
    {
        var tensor = _parameter(name, shape, kind, fanIn);
        if (!tensor.Shape.SequenceEqual(shape))
            throw new ShapeMismatchException($"parameter '{name}' is {tensor} but the network needs {Tensor.ShapeString(shape)}");
        Initializers[name] = tensor;
        Parameters.Add((name, kind));
        return name;
    }

    private string Node(string opType, string layer, string[] inputs, OnnxAttributes attributes, (int C, int H, int W) shape, string? outputName = null)
    {
        int index = _nodeCount++;
        string output = outputName ?? $"{layer}_{index}";
        Nodes.Add(new OnnxNode { Name = $"{opType}_{index}", OpType = opType, Inputs = inputs, Outputs = [output], Attributes = attributes });
        _shapes[output] = shape;
        return output;
    }
}
