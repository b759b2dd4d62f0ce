using CnnLens.Attribution;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Training;

/// <summary>
/// One of the <see cref="Architecture"/>s for a given input size and class count, with its
/// parameters (PyTorch's default initialisation: weights and biases uniform in ±1/√fan-in,
/// BatchNorm scale 1, shift 0, running mean 0 and variance 1), drawn from a seed.
/// </summary>
public sealed class Network
{
    private Network(Architecture architecture, int channels, int height, int width, int classes, int baseChannels, bool normalized, Dictionary<string, Tensor> parameters, List<(string Name, ParameterKind Kind)> kinds)
    {
        Normalized = normalized;
        Architecture = architecture;
        Channels = channels;
        Height = height;
        Width = width;
        Classes = classes;
        BaseChannels = baseChannels;
        Parameters = parameters;
        Kinds = kinds;
    }

    public Architecture Architecture { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Classes { get; }

    /// <summary>Channels of the first layer (tiny-vgg: 10, resnet: 16; lenet ignores it).</summary>
    public int BaseChannels { get; }

    /// <summary>True when the graph starts by standardising its input with fixed per-channel statistics.</summary>
    public bool Normalized { get; }

    /// <summary>Every parameter and buffer by name (PyTorch state_dict style, e.g. "conv1.weight").</summary>
    public Dictionary<string, Tensor> Parameters { get; }

    internal List<(string Name, ParameterKind Kind)> Kinds { get; }

    /// <summary>Names of the tensors the optimiser updates (not the BatchNorm running statistics).</summary>
    public IReadOnlyList<string> TrainableNames =>
        Kinds.Where(k => k.Kind is not (ParameterKind.RunningMean or ParameterKind.RunningVariance or ParameterKind.InputStatistic)).Select(k => k.Name).ToArray();

    public int ParameterCount => TrainableNames.Sum(n => Parameters[n].Length);

    /// <param name="inputMean">With <paramref name="inputStd"/>: per-channel statistics the network
    /// subtracts and divides by first (so the saved model still takes 0..1 images); null: none.</param>
    public static Network Create(Architecture architecture, int channels, int height, int width, int classes, long seed, int? baseChannels = null,
        float[]? inputMean = null, float[]? inputStd = null)
    {
        bool normalized = inputMean is not null || inputStd is not null;
        if (normalized && (inputMean?.Length != channels || inputStd?.Length != channels || inputStd.Any(s => !(s > 0))))
            throw new InvalidOptionException($"input normalisation needs {channels} means and {channels} positive standard deviations");
        if (classes < 2) throw new InvalidOptionException($"a classifier needs at least two classes, got {classes}");
        int b = baseChannels ?? (architecture == Architecture.TinyVgg ? 10 : 16);
        if (b < 1) throw new InvalidOptionException($"base channel count must be positive, got {b}");
        int index = 0;
        var builder = new NetworkBuilder(false, (name, shape, kind, fanIn) => kind == ParameterKind.InputStatistic
            ? new Tensor(shape, (float[])(name == "normalize.mean" ? inputMean! : inputStd!).Clone())
            : Initial(shape, kind, fanIn, new SeededRandom(seed, 0x7EA1, index++)));
        Define(builder, architecture, channels, height, width, classes, b, normalized);
        return new Network(architecture, channels, height, width, classes, b, normalized, builder.Initializers, builder.Parameters);
    }

    /// <summary>The network as an inference graph with the current parameters (shared, not copied).</summary>
    public OnnxModel ToOnnx(Dictionary<string, string>? metadata = null)
    {
        var builder = Emit(training: false);
        return builder.ToModel(NetworkBuilder.OutputName, metadata ?? new Dictionary<string, string>());
    }

    internal NetworkBuilder Emit(bool training)
    {
        var builder = new NetworkBuilder(training, (name, _, _, _) => Parameters[name]);
        Define(builder, Architecture, Channels, Height, Width, Classes, BaseChannels, Normalized);
        return builder;
    }

    private static void Define(NetworkBuilder b, Architecture architecture, int channels, int height, int width, int classes, int baseChannels, bool normalized)
    {
        string x = b.Input(channels, height, width);
        if (normalized) x = b.Normalize(x);
        switch (architecture)
        {
            case Architecture.LeNet:
                x = b.MaxPool(b.Relu(b.Conv("conv1", x, 6, 5, pad: 2)), 2);
                x = b.MaxPool(b.Relu(b.Conv("conv2", x, 16, 5)), 2);
                x = b.Flatten(x);
                x = b.Relu(b.Linear("fc1", x, 120));
                x = b.Relu(b.Linear("fc2", x, 84));
                b.Linear("fc3", x, classes, NetworkBuilder.OutputName);
                break;
            case Architecture.TinyVgg:
                for (int block = 1; block <= 2; block++)
                {
                    x = b.Relu(b.Conv($"conv{block}_1", x, baseChannels, 3));
                    x = b.Relu(b.Conv($"conv{block}_2", x, baseChannels, 3));
                    x = b.MaxPool(x, 2);
                }
                b.Linear("fc", b.Flatten(x), classes, NetworkBuilder.OutputName);
                break;
            default:
                x = b.Relu(b.BatchNorm("bn1", b.Conv("conv1", x, baseChannels, 3, pad: 1, bias: false)));
                x = BasicBlock(b, "layer1", x, baseChannels, 1);
                x = BasicBlock(b, "layer2", x, baseChannels * 2, 2);
                x = BasicBlock(b, "layer3", x, baseChannels * 4, 2);
                b.Linear("fc", b.Flatten(b.GlobalAveragePool(x)), classes, NetworkBuilder.OutputName);
                break;
        }
    }

    /// <summary>torchvision's BasicBlock: conv3-BN-relu-conv3-BN plus a (1x1 conv-BN when the shape changes) shortcut, then relu.</summary>
    private static string BasicBlock(NetworkBuilder b, string name, string x, int channels, int stride)
    {
        string y = b.Relu(b.BatchNorm($"{name}.bn1", b.Conv($"{name}.conv1", x, channels, 3, stride, 1, bias: false)));
        y = b.BatchNorm($"{name}.bn2", b.Conv($"{name}.conv2", y, channels, 3, 1, 1, bias: false));
        string shortcut = x;
        if (stride != 1 || b.ShapeOf(x).C != channels)
            shortcut = b.BatchNorm($"{name}.downsample.1", b.Conv($"{name}.downsample.0", x, channels, 1, stride, 0, bias: false));
        return b.Relu(b.Add(y, shortcut));
    }

    private static Tensor Initial(int[] shape, ParameterKind kind, int fanIn, SeededRandom random)
    {
        var tensor = new Tensor(shape);
        switch (kind)
        {
            case ParameterKind.Weight or ParameterKind.Bias:
                double bound = 1 / Math.Sqrt(fanIn);
                for (int i = 0; i < tensor.Length; i++) tensor.Data[i] = (float)((random.NextDouble() * 2 - 1) * bound);
                break;
            case ParameterKind.NormScale or ParameterKind.RunningVariance:
                tensor.Data.AsSpan().Fill(1f);
                break;
        }
        return tensor;
    }
}
