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
        using var forward = model.BorrowForwardAll(input);
        var values = forward.Values;
        var logits = values[model.Graph.SlotOf(model.LogitsName)]!;
        var resolved = Targets.Resolve(logits, targets);
        var seed = Targets.OneHotSeed(logits, resolved);
        var gradients = ReversePass.Run(model.Graph, values, model.LogitsName, seed, [model.InputName], composite);
        return (gradients[model.InputName], Targets.Scores(logits, resolved), resolved);
    }

    /// <summary>Input gradient of a layer channel or neuron (summed over its selected positions), with its value per image.</summary>
    public static (Tensor Gradient, double[] Scores, int[] Targets) OfNeuron(Model model, Tensor input, NeuronTarget neuron, BackwardComposite? composite = null)
    {
        if (!model.Graph.HasTensor(neuron.Layer)) throw LayerNames.NotFound(model, neuron.Layer);
        using var forward = model.BorrowForwardAll(input);
        var values = forward.Values;
        var activation = values[model.Graph.SlotOf(neuron.Layer)] ?? throw new CnnLensException($"tensor '{neuron.Layer}' is a constant, not a layer");
        var gradients = ReversePass.Run(model.Graph, values, neuron.Layer, neuron.Seed(activation), [model.InputName], composite);
        return (gradients[model.InputName], neuron.Scores(activation), Enumerable.Repeat(neuron.Channel, input.Dim(0)).ToArray());
    }

    /// <summary>A named tensor of a forward result, with the layer-name error when it is not there.</summary>
    public static Tensor LayerValue(Model model, ForwardResult forward, string layer) =>
        model.Graph.HasTensor(layer) ? forward[layer] : throw LayerNames.NotFound(model, layer);

    /// <summary>A layer's activation and the gradient of the target scores with respect to it.</summary>
    public static (Tensor Activation, Tensor Gradient, double[] Scores, int[] Targets) OfLayer(Model model, Tensor input, int[]? targets, string layer)
    {
        if (!model.Graph.HasTensor(layer)) throw LayerNames.NotFound(model, layer);
        using var forward = model.BorrowForwardAll(input);
        var values = forward.Values;
        var logits = values[model.Graph.SlotOf(model.LogitsName)]!;
        var resolved = Targets.Resolve(logits, targets);
        var activation = values[model.Graph.SlotOf(layer)] ?? throw new CnnLensException($"tensor '{layer}' is a constant, not a layer");
        var seed = Targets.OneHotSeed(logits, resolved);
        var gradients = ReversePass.Run(model.Graph, values, model.LogitsName, seed, [layer]);
        // The activation leaves with the result; the borrowed forward pass goes back to the pool.
        return (activation.Clone(), gradients[layer], Targets.Scores(logits, resolved), resolved);
    }
}
