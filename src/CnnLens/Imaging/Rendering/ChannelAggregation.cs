namespace CnnLens.Imaging.Rendering;

/// <summary>How a [C,H,W] attribution becomes one value per pixel.</summary>
public enum ChannelAggregation
{
    /// <summary>Sum over channels; keeps the sign (Captum's visualisation reduces channels this way).</summary>
    Sum,

    /// <summary>Sum of |value| over channels; non-negative.</summary>
    SumOfAbsolute,

    /// <summary>Euclidean norm over channels; non-negative.</summary>
    L2Norm,
}
