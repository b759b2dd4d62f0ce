using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// The epsilon z-rule for linear ops without weights (pools, sums, unfolded batch norms, padding)
/// through the op's own vector-Jacobian product: R_in_i = x_i ⊙ J_iᵀ(R / (y + ε·sign y)) for each
/// input i computed from the image. Relevance is shared in proportion to each input's contribution.
/// </summary>
public sealed class LrpZRule(ComputationGraph graph, float epsilon) : IBackwardRule
{
    public Tensor?[] Backward(GraphNode node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var s = LrpLayerRule.StabilisedRatio(outputGradients[0]!, outputs[0], epsilon);
        var needed = node.InputSlots.Select(slot => slot >= 0 && graph.Constants[slot] is null && !graph.ShapeStatic[slot]).ToArray();
        var gradients = node.Operator.Backward(inputs, outputs, [s, .. new Tensor?[outputs.Length - 1]], needed);
        var result = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length && i < gradients.Length; i++)
            if (needed[i] && gradients[i] is { } g && inputs[i] is { } x)
                result[i] = x.SameShape(g) ? LrpLayerRule.Multiply(x, g)
                    : throw new UnsupportedOperatorException($"LRP z-rule: input {i} of {node} is broadcast; relevance cannot be split over it");
        return result;
    }
}
