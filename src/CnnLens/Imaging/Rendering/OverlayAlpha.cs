namespace CnnLens.Imaging.Rendering;

/// <summary>How a heatmap's opacity is chosen per pixel.</summary>
public enum OverlayAlpha
{
    /// <summary>Scaled by magnitude for diverging colormaps (zero is see-through), constant otherwise.</summary>
    Auto,

    /// <summary>The same opacity everywhere (pytorch-grad-cam's show_cam_on_image).</summary>
    Constant,

    /// <summary>Opacity grows with |normalised value|: 0 at zero, <see cref="OverlayOptions.PeakOpacity"/> at full scale.</summary>
    ScaledByMagnitude,
}
