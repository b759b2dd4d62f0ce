using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// The reverse passes gradient methods share: d logit[n, target n] / d (input or a layer), for the
/// whole batch in one pass (images of a batch are independent, so one seed serves all).
/// </summary>
public static class Gradients
{
    /// <summary>Input gradient and the target scores, for a batch; an optional composite replaces backward rules.</summary>
    public static (Tensor Gradient, double[] Scores, int[] Targets) OfInput(Model model, Tensor input, int[]? targets, BackwardComposite? composite = null)
    {
        var values = model.ForwardAll(input);
        var logits = values[model.Graph.SlotOf(model.LogitsName)]!;
        var resolved = Targets.Resolve(logits, targets);
        var seed = Targets.OneHotSeed(logits, resolved);
        var gradients = ReversePass.Run(model.Graph, values, model.LogitsName, seed, [model.InputName], composite);
        return (gradients[model.InputName], Targets.Scores(logits, resolved), resolved);
    }

    /// <summary>A layer's activation and the gradient of the target scores with respect to it.</summary>
    public static (Tensor Activation, Tensor Gradient, double[] Scores, int[] Targets) OfLayer(Model model, Tensor input, int[]? targets, string layer)
    {
        if (!model.Graph.HasTensor(layer)) throw LayerNames.NotFound(model, layer);
        var values = model.ForwardAll(input);
        var logits = values[model.Graph.SlotOf(model.LogitsName)]!;
        var resolved = Targets.Resolve(logits, targets);
        var activation = values[model.Graph.SlotOf(layer)] ?? throw new CnnLensException($"tensor '{layer}' is a constant, not a layer");
        var seed = Targets.OneHotSeed(logits, resolved);
        var gradients = ReversePass.Run(model.Graph, values, model.LogitsName, seed, [layer]);
        return (activation, gradients[layer], Targets.Scores(logits, resolved), resolved);
    }
}
