using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>LRP at activations, Identity and Dropout: the relevance of the output passes to the input unchanged.</summary>
public sealed class LrpPassThroughRule : IBackwardRule
{
    public static LrpPassThroughRule Instance { get; } = new();

    public Tensor?[] Backward(GraphNode node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var result = new Tensor?[inputs.Length];
        result[0] = outputGradients[0];
        return result;
    }
}
