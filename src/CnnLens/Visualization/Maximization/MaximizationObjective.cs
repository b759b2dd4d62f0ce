using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// What activation maximisation drives up: a function of some tensors of one forward pass, with its
/// gradient with respect to those tensors. Objectives add up (<see cref="WeightedObjective"/>); the
/// optimiser maximises the sum over the batch, and the reverse pass carries each tensor's gradient to the input.
/// </summary>
public abstract class MaximizationObjective
{
    /// <summary>The tensors this objective reads (resolved against the model: a class objective reads the logits).</summary>
    public abstract IEnumerable<string> Layers(Model model);

    /// <summary>Checks the objective against the tensors of a forward pass (channel in range, shapes): fails before any work.</summary>
    public abstract void Check(Model model, IReadOnlyDictionary<string, Tensor> values);

    /// <summary>
    /// The value per image, times <paramref name="weight"/>; adds weight · d(value)/d(tensor) into
    /// <paramref name="gradients"/> (a zero tensor is created for a tensor seen first).
    /// </summary>
    public abstract double[] Evaluate(Model model, IReadOnlyDictionary<string, Tensor> values, GradientSeeds gradients, double weight);

    /// <summary>Mean of one channel of a layer (Lucid's <c>channel</c>).</summary>
    public static MaximizationObjective Channel(string layer, int channel) => new ChannelObjective(layer, channel);

    /// <summary>One spatial position of a channel (Lucid's <c>neuron</c>).</summary>
    public static MaximizationObjective Neuron(string layer, int channel, int y, int x) => new ChannelObjective(layer, channel, y, x);

    /// <summary>A class logit (the model's scores before any final softmax).</summary>
    public static MaximizationObjective Class(int classIndex) => new ClassObjective(classIndex);

    /// <summary>Checks a layer name against the model, with the nearest names when it is not there.</summary>
    protected static Tensor LayerValue(Model model, IReadOnlyDictionary<string, Tensor> values, string layer) =>
        values.TryGetValue(layer, out var value) ? value : throw LayerNames.NotFound(model, layer);
}

/// <summary>Seed gradients per tensor, created as zeros on first use and summed by every objective that reads the tensor.</summary>
public sealed class GradientSeeds
{
    private readonly Dictionary<string, Tensor> _seeds = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Tensor> Seeds => _seeds;

    /// <summary>The seed of tensor <paramref name="name"/>, shaped like <paramref name="value"/>.</summary>
    public Tensor For(string name, Tensor value)
    {
        if (!_seeds.TryGetValue(name, out var seed)) _seeds[name] = seed = new Tensor(value.ShapeArray);
        return seed;
    }
}
