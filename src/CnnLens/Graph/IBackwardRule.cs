using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// Replaces the backward of a node for one reverse pass (Zennit's idea): guided backprop,
/// deconvnet, DeepLIFT's rescale multipliers and LRP rules are all rules over the same pass.
/// </summary>
public interface IBackwardRule
{
    /// <summary>
    /// Returns the gradient (or relevance) for each input of <paramref name="node"/>, given its
    /// forward inputs and outputs and what flows back into each output (null where nothing does).
    /// </summary>
    Tensor?[] Backward(GraphNode node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients);
}

/// <summary>Chooses the rule for each node (null: the operator's own vector-Jacobian product).</summary>
public delegate IBackwardRule? BackwardComposite(GraphNode node);
