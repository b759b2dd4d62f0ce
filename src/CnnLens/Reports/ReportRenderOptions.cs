using CnnLens.Imaging.Rendering;

namespace CnnLens.Reports;

/// <summary>
/// How attributions are drawn in reports. Null means the per-kind default: input-space methods are
/// shown signed on the diverging "bwr" map (red = evidence for the class, blue = against); CAMs
/// (non-negative after their ReLU) by magnitude on "jet", the look of pytorch-grad-cam overlays.
/// </summary>
public sealed record ReportRenderOptions
{
    /// <summary>Colormap of the main heatmap and overlay; null = bwr for signed views, inferno for magnitude views of input-space methods, jet for CAMs.</summary>
    public Colormap? Colormap { get; init; }

    /// <summary>View of the main heatmap; null = signed for input-space methods, positive for CAMs (which show signed as positive: they have no negative side).</summary>
    public HeatmapView? View { get; init; }

    /// <summary>
    /// Overlay opacity in [0, 1]: the constant opacity of CAM overlays, the peak opacity (at full scale) of
    /// input-space overlays, whose opacity grows with |attribution|; null = the Overlay defaults (0.5 and 0.8).
    /// </summary>
    public float? Opacity { get; init; }

    /// <summary>Throws <see cref="InvalidOptionException"/> for an opacity outside [0, 1].</summary>
    public void Validate()
    {
        if (Opacity is { } o && !(o >= 0f && o <= 1f))
            throw new InvalidOptionException($"--opacity must be between 0 and 1, got {o}");
    }
}
