using System.Diagnostics;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// Base of every method: resolves targets (default: each image's top-1 class), times the work and
/// wraps the result. A method implements <see cref="Compute"/> only.
/// </summary>
public abstract class AttributionMethod
{
    /// <summary>The contract name used by the CLI and in reports.</summary>
    public abstract string Name { get; }

    /// <summary>Receives progress of long runs (perturbation methods report after every batch); null: none.</summary>
    public IProgress<AttributionProgress>? Progress { get; set; }

    /// <summary>
    /// Explain a layer channel or neuron instead of a class (null: the class targets). Only methods
    /// with <see cref="SupportsNeuronTargets"/> accept one; the others refuse it rather than ignore it.
    /// </summary>
    public NeuronTarget? Neuron
    {
        get => _neuron;
        set => _neuron = value is null || SupportsNeuronTargets ? value
            : throw new InvalidOptionException($"{Name} explains classes only; a layer channel or neuron target works with saliency, input-x-gradient, integrated-gradients, smoothgrad, vargrad, guided-backprop and deconvnet");
    }

    private NeuronTarget? _neuron;

    /// <summary>True for the methods built on the input gradient, which can start it from any tensor.</summary>
    public virtual bool SupportsNeuronTargets => false;

    /// <summary>Stops a long run between batches with <see cref="OperationCanceledException"/>; nothing is returned or written.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>Explains <paramref name="targets"/> (one class per image; null: each image's top-1) for a batch [N,...].</summary>
    public Attribution Attribute(Model model, Tensor input, int[]? targets = null)
    {
        long start = Stopwatch.GetTimestamp();
        Targets.CheckCount(input, targets);
        var result = Compute(model, input, targets);
        return result with { Elapsed = Stopwatch.GetElapsedTime(start) };
    }

    /// <summary>Explains a single class for every image of the batch.</summary>
    public Attribution Attribute(Model model, Tensor input, int target) =>
        Attribute(model, input, Enumerable.Repeat(target, input.Dim(0)).ToArray());

    /// <summary>Does the work; <paramref name="targets"/> is null for "top-1 of each image" (resolve with <see cref="Targets.Resolve"/>).</summary>
    protected abstract Attribution Compute(Model model, Tensor input, int[]? targets);

    /// <summary>The options as they would be written on the command line, for reports.</summary>
    protected virtual IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>();

    /// <summary>The input gradient of what is explained: the target logits, or <see cref="Neuron"/> when set.</summary>
    protected (Tensor Gradient, double[] Scores, int[] Targets) InputGradient(Model model, Tensor input, int[]? targets, BackwardComposite? composite = null) =>
        Neuron is { } neuron ? Gradients.OfNeuron(model, input, neuron, composite) : Gradients.OfInput(model, input, targets, composite);

    /// <summary>The explained value per image of a batch (target logits, or the neuron) and the resolved targets.</summary>
    protected (double[] Scores, int[] Targets) ExplainedScores(Model model, Tensor batch, int[]? targets)
    {
        if (Neuron is { } neuron)
        {
            var activation = Gradients.LayerValue(model, model.Forward(batch, [neuron.Layer]), neuron.Layer);
            return (neuron.Scores(activation), Enumerable.Repeat(neuron.Channel, batch.Dim(0)).ToArray());
        }
        var logits = model.Predict(batch);
        var resolved = Targets.Resolve(logits, targets);
        return (Targets.Scores(logits, resolved), resolved);
    }

    protected Attribution Result(Tensor values, int[] targets, string? layer = null, double[]? delta = null) => new()
    {
        Neuron = Neuron,
        Values = values,
        Method = Name,
        Targets = targets,
        Layer = layer,
        Options = DescribeOptions(),
        ConvergenceDelta = delta,
    };
}
