namespace CnnLens.Imaging.Rendering;

/// <summary>How a heatmap is blended over the photo.</summary>
public sealed record OverlayOptions
{
    public OverlayAlpha Alpha { get; init; } = OverlayAlpha.Auto;

    /// <summary>
    /// Heatmap weight for constant blending: out = (1 − a)·photo + a·heatmap. 0.5 equals
    /// pytorch-grad-cam's image_weight = 0.5 (without its final divide-by-max rescaling).
    /// </summary>
    public float ConstantOpacity { get; init; } = 0.5f;

    /// <summary>Heatmap opacity at |value| ≥ scale when blending by magnitude.</summary>
    public float PeakOpacity { get; init; } = 0.8f;

    /// <summary>Blend over a gray version of the photo (mean of R,G,B, as Captum's blended_heat_map) so colours read clearly.</summary>
    public bool GrayscalePhoto { get; init; }
}
