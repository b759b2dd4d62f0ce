using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// The mean of channel <see cref="Channel"/> of a layer [N,C,H,W] over its positions (or of a [N,C]
/// layer, its value), or — with <see cref="Y"/> and <see cref="X"/> — the single neuron at that position.
/// </summary>
public sealed class ChannelObjective(string layer, int channel, int? y = null, int? x = null) : MaximizationObjective
{
    public string Layer { get; } = layer;

    public new int Channel { get; } = channel; // the channel index; MaximizationObjective.Channel(...) is the factory

    public int? Y { get; } = y;

    public int? X { get; } = x;

    private NeuronTarget Target => new(Layer, Channel, Y, X);

    public override string ToString() => Target.ToString();

    public override IEnumerable<string> Layers(Model model) => [Layer];

    public override void Check(Model model, IReadOnlyDictionary<string, Tensor> values) => Target.Check(LayerValue(model, values, Layer));

    public override double[] Evaluate(Model model, IReadOnlyDictionary<string, Tensor> values, GradientSeeds gradients, double weight)
    {
        var activation = LayerValue(model, values, Layer);
        // NeuronTarget sums the selected activations; a channel objective is their mean.
        int count = Y is null && activation.Rank == 4 ? activation.Dim(2) * activation.Dim(3) : 1;
        var target = Target;
        var seed = target.Seed(activation);
        var sum = gradients.For(Layer, activation);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(seed.Data, (float)(weight / count), sum.Data, sum.Data);
        return target.Scores(activation).Select(s => weight * s / count).ToArray();
    }
}
