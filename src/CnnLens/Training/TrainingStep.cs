using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Training;

/// <summary>
/// One optimiser step on one batch, on the engine's graph of <see cref="Network"/> in training mode:
/// forward (BatchNorm with batch statistics), softmax cross-entropy, reverse pass to every
/// trainable tensor, the optimiser's update, and the BatchNorm running statistics carried over.
/// </summary>
public sealed class TrainingStep
{
    private readonly NetworkBuilder _builder;
    private readonly ComputationGraph _graph;
    private readonly Executor _executor;
    private readonly IReadOnlyList<string> _trainable;

    public TrainingStep(Network network, Optimizer optimizer)
    {
        Network = network;
        Optimizer = optimizer;
        _builder = network.Emit(training: true);
        _graph = ComputationGraph.Build(_builder.ToModel(NetworkBuilder.OutputName, new Dictionary<string, string>()));
        _executor = new Executor(_graph);
        _trainable = network.TrainableNames;
    }

    public Network Network { get; }

    public Optimizer Optimizer { get; }

    /// <summary>Gradients of the last step by parameter name (before the update was applied).</summary>
    public IReadOnlyDictionary<string, Tensor>? LastGradients { get; private set; }

    public BatchLoss Run(Tensor input, ReadOnlySpan<int> labels, float learningRate)
    {
        var values = _executor.RunAll(input);
        var loss = SoftmaxCrossEntropy.Compute(values[_graph.SlotOf(NetworkBuilder.OutputName)]!, labels);
        if (!double.IsFinite(loss.Loss))
            throw new CnnLensException($"training diverged (loss {loss.Loss}); lower the learning rate (--lr)");
        var gradients = ReversePass.Run(_graph, values, NetworkBuilder.OutputName, loss.Gradient, _trainable);
        foreach (var name in _trainable)
            Optimizer.Step(name, Network.Parameters[name].Data, gradients[name].Data, learningRate);
        foreach (var (buffer, output) in _builder.RunningStatisticOutputs)
            values[_graph.SlotOf(output)]!.Data.CopyTo(Network.Parameters[buffer].Data, 0);
        // Weights changed in place: new tensor objects make the operators re-pack them.
        foreach (var (name, tensor) in Network.Parameters)
            _graph.Constants[_graph.SlotOf(name)] = new Tensor(tensor.ShapeArray, tensor.Data);
        LastGradients = gradients;
        return loss;
    }
}
