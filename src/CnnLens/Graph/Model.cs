using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// A CNN image classifier ready to run: <c>Model.Load("resnet18.onnx")</c>, then
/// <see cref="Predict"/> for logits or <see cref="Forward"/> to keep any intermediate tensor.
/// </summary>
public sealed class Model
{
    private readonly Dictionary<string, string?> _suggestedCamLayers = new();
    private SharedForward? _shared;

    private Model(OnnxModel onnx, string name)
    {
        Onnx = onnx;
        Name = name;
        Graph = ComputationGraph.Build(onnx);
        Executor = new Executor(Graph);
        OutputName = Graph.OutputNames[0];
        LogitsName = FindLogits(OutputName);
        ClassNames = ClassLabels.FromMetadata(onnx);
    }

    /// <summary>Reads an ONNX file (with any external weight files beside it) and prepares it to run.</summary>
    public static Model Load(string path) => new(OnnxModelReader.Load(path), Path.GetFileName(path));

    public static Model FromOnnx(OnnxModel onnx, string name = "model") => new(onnx, name);

    public string Name { get; }

    public OnnxModel Onnx { get; }

    public ComputationGraph Graph { get; }

    public Executor Executor { get; }

    public string InputName => Graph.Input.Name;

    /// <summary>The declared input shape (symbolic dimensions have a null value).</summary>
    public OnnxDimension[]? InputShape => Graph.Input.Shape;

    /// <summary>The first graph output.</summary>
    public string OutputName { get; }

    /// <summary>
    /// The tensor attribution explains: the output, or, when the graph ends in Softmax or
    /// LogSoftmax, the tensor feeding it (scores before normalisation).
    /// </summary>
    public string LogitsName { get; }

    /// <summary>Class names stored in the model, or null (callers fall back to ImageNet for 1000 classes).</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Class names for an output of <paramref name="classCount"/> classes, if any are known.</summary>
    public IReadOnlyList<string>? ClassNamesFor(int classCount) =>
        ClassNames?.Count == classCount ? ClassNames :
        classCount == 1000 ? ClassLabels.ImageNet : null;

    /// <summary>Runs the model and returns the logits [N, classes] (before any final softmax).</summary>
    public Tensor Predict(Tensor input) =>
        _shared is { } shared && shared.Matches(input)
            ? shared.Values(Executor)[Graph.SlotOf(LogitsName)]!
            : Forward(input, [LogitsName])[LogitsName];

    /// <summary>
    /// Runs the model keeping every tensor (what a reverse pass needs). Inside a
    /// <see cref="ShareForward"/> scope for this very input, the values are computed once and shared.
    /// </summary>
    public Tensor?[] ForwardAll(Tensor input) =>
        _shared is { } shared && shared.Matches(input) ? shared.Values(Executor) : Executor.RunAll(input);

    /// <summary>
    /// <see cref="ForwardAll"/> for one reverse pass: the activations come from the graph's pool and
    /// go back when the result is disposed, so a stream of passes allocates nothing. A shared forward
    /// pass (<see cref="ShareForward"/>) is lent as is and never given back. Copy what must outlive it.
    /// </summary>
    public PooledForward BorrowForwardAll(Tensor input) =>
        _shared is { } shared && shared.Matches(input)
            ? new PooledForward(shared.Values(Executor), null)
            : Executor.RunAllPooled(input);

    /// <summary>
    /// <see cref="BorrowForwardAll"/> computing only the layers <paramref name="tensors"/> depend on (a
    /// reverse pass that starts inside the network needs nothing after its start): the other slots are null.
    /// </summary>
    public PooledForward BorrowForwardUpTo(Tensor input, IEnumerable<string> tensors) =>
        _shared is { } shared && shared.Matches(input)
            ? new PooledForward(shared.Values(Executor), null)
            : Executor.RunPooledUpTo(input, tensors);

    /// <summary>
    /// Until the returned scope is disposed, methods explaining <paramref name="input"/> share one
    /// forward pass of it (<see cref="ForwardAll"/>, <see cref="Predict"/>) instead of each running
    /// its own. Holds every activation of that input meanwhile.
    /// </summary>
    public IDisposable ShareForward(Tensor input)
    {
        var scope = new SharedForward(input);
        var previous = Interlocked.Exchange(ref _shared, scope);
        scope.OnDispose(() => Interlocked.CompareExchange(ref _shared, previous, scope));
        return scope;
    }

    /// <summary>Runs the model keeping the named tensors (and the outputs).</summary>
    public ForwardResult Forward(Tensor input, IEnumerable<string>? keep = null) => Executor.Run(input, keep);

    /// <summary>
    /// A shape for a sample input of the given batch size: the declared shape with symbolic
    /// batch set. Throws when other dimensions are symbolic (the caller must then give an input).
    /// </summary>
    public int[] SampleInputShape(int batch = 1)
    {
        var declared = InputShape ?? throw new ShapeMismatchException(
            $"the model does not declare the shape of input '{InputName}'; give an input tensor");
        var shape = new int[declared.Length];
        for (int i = 0; i < declared.Length; i++)
        {
            if (declared[i].Value is long d && d > 0) shape[i] = i == 0 && declared.Length == 4 ? batch : (int)d;
            else if (i == 0) shape[i] = batch;
            else throw new ShapeMismatchException(
                $"input '{InputName}' has a dynamic dimension {i} ('{declared[i]}'); give an input tensor so its size is known");
        }
        return shape;
    }

    /// <summary>Every computed tensor with its producing op and its shape for <paramref name="input"/> (default: zeros of the sample shape).</summary>
    public IReadOnlyList<TensorDescription> DescribeTensors(Tensor? input = null)
    {
        input ??= new Tensor(SampleInputShape());
        var values = Executor.RunAll(input);
        var result = new List<TensorDescription>
        {
            new(InputName, "Input", "", input.ShapeArray),
        };
        foreach (var node in Graph.Nodes)
            foreach (int slot in node.OutputSlots)
                if (slot >= 0 && !Graph.ShapeStatic[slot] && values[slot] is { } value)
                    result.Add(new TensorDescription(Graph.SlotNames[slot], node.OpType, node.Name, value.ShapeArray));
        return result;
    }

    /// <summary>The layer CAM methods use by default: the last feature map with spatial size above 1.</summary>
    public static string? SuggestedCamLayer(IReadOnlyList<TensorDescription> tensors) =>
        tensors.LastOrDefault(t => t.IsSpatialFeatureMap && t.OpType != "Input")?.Name;

    /// <summary>The suggested CAM layer for inputs shaped like <paramref name="input"/> (found once per image shape, on one image).</summary>
    public string? SuggestedCamLayer(Tensor input)
    {
        string key = Tensor.ShapeString(input.Shape[1..]);
        lock (_suggestedCamLayers)
        {
            if (_suggestedCamLayers.TryGetValue(key, out var cached)) return cached;
            var one = new Tensor([1, .. input.ShapeArray[1..]]);
            return _suggestedCamLayers[key] = SuggestedCamLayer(DescribeTensors(one));
        }
    }

    private string FindLogits(string output)
    {
        var producer = Graph.Nodes.FirstOrDefault(n => n.Outputs.Contains(output));
        return producer is { OpType: "Softmax" or "LogSoftmax" } ? producer.Inputs[0] : output;
    }
}
