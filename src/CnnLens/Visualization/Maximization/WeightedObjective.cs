using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>A weighted sum of objectives, e.g. a channel plus 0.5 · another channel, or a channel minus a diversity penalty.</summary>
public sealed class WeightedObjective(IReadOnlyList<(double Weight, MaximizationObjective Objective)> terms) : MaximizationObjective
{
    public IReadOnlyList<(double Weight, MaximizationObjective Objective)> Terms { get; } = terms.Count > 0 ? terms
        : throw new InvalidOptionException("a weighted objective needs at least one term");

    public override string ToString() => string.Join(" + ", Terms.Select(t => $"{t.Weight:G4}·{t.Objective}"));

    public override IEnumerable<string> Layers(Model model) => Terms.SelectMany(t => t.Objective.Layers(model)).Distinct();

    public override void Check(Model model, IReadOnlyDictionary<string, Tensor> values)
    {
        foreach (var (_, objective) in Terms) objective.Check(model, values);
    }

    public override double[] Evaluate(Model model, IReadOnlyDictionary<string, Tensor> values, GradientSeeds gradients, double weight)
    {
        double[]? total = null;
        foreach (var (w, objective) in Terms)
        {
            var part = objective.Evaluate(model, values, gradients, weight * w);
            if (total is null) total = part;
            else for (int n = 0; n < total.Length; n++) total[n] += part[n];
        }
        return total!;
    }
}
