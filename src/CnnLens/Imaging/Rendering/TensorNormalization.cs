namespace CnnLens.Imaging.Rendering;

/// <summary>Which values share one min-max range when a tensor is drawn as an image.</summary>
public enum TensorNormalization
{
    /// <summary>One range for the whole tensor: relative magnitudes between channels survive.</summary>
    PerTensor,

    /// <summary>Each channel stretched to its own full range.</summary>
    PerChannel,
}
