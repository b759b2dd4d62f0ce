using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// One forward pass, the objective on the tensors it reads, and the engine's reverse pass from each of
/// those tensors (seeded with the objective's gradient there) back to the model input, summed.
/// </summary>
public static class ObjectiveGradient
{
    /// <summary>The objective's value per image and its gradient with respect to <paramref name="input"/>.</summary>
    public static (double[] Values, Tensor InputGradient) Compute(Model model, Tensor input, MaximizationObjective objective)
    {
        // Only the layers the objective reads run, from pooled buffers: a step allocates no activations.
        using var lease = model.BorrowForwardUpTo(input, CheckedLayers(model, objective));
        var forward = lease.Values;
        var values = Values(model, forward, objective);
        var seeds = new GradientSeeds();
        var scores = objective.Evaluate(model, values, seeds, 1.0);
        Tensor? gradient = null;
        foreach (var (layer, seed) in seeds.Seeds)
        {
            var part = layer == model.InputName ? seed
                : ReversePass.Run(model.Graph, forward, layer, seed, [model.InputName])[model.InputName];
            if (gradient is null) gradient = part.Clone();
            else System.Numerics.Tensors.TensorPrimitives.Add(gradient.Data, part.Data, gradient.Data);
        }
        return (scores, gradient ?? new Tensor(input.ShapeArray));
    }

    /// <summary>Runs the model once on <paramref name="input"/> and checks the objective against it (bad layer, channel, class: a clear error).</summary>
    public static double[] Check(Model model, Tensor input, MaximizationObjective objective)
    {
        var values = Values(model, model.ForwardAll(input), objective);
        objective.Check(model, values);
        return objective.Evaluate(model, values, new GradientSeeds(), 1.0);
    }

    private static List<string> CheckedLayers(Model model, MaximizationObjective objective)
    {
        var layers = objective.Layers(model).ToList();
        foreach (var layer in layers)
            if (!model.Graph.HasTensor(layer)) throw LayerNames.NotFound(model, layer);
        return layers;
    }

    private static Dictionary<string, Tensor> Values(Model model, Tensor?[] forward, MaximizationObjective objective)
    {
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var layer in objective.Layers(model))
        {
            if (!model.Graph.HasTensor(layer)) throw LayerNames.NotFound(model, layer);
            values[layer] = forward[model.Graph.SlotOf(layer)] ?? throw new InvalidOptionException($"tensor '{layer}' is a constant of the model, not a layer");
        }
        return values;
    }
}
