namespace CnnLens.Graph;

/// <summary>One tensor of a model as `cnnlens layers` lists it: name, producing op, and shape for a sample input.</summary>
public sealed record TensorDescription(string Name, string OpType, string NodeName, int[] Shape)
{
    /// <summary>Rank-4 [N,C,H,W] tensors with more than one spatial position are where CAM methods look.</summary>
    public bool IsSpatialFeatureMap => Shape.Length == 4 && Shape[2] * Shape[3] > 1;
}
