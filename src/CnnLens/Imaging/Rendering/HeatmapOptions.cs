namespace CnnLens.Imaging.Rendering;

/// <summary>How an attribution tensor becomes a heatmap. The defaults suit input-space methods.</summary>
public sealed record HeatmapOptions
{
    /// <summary>Reduction of [C,H,W] attributions to one value per pixel; ignored for [H,W] maps.</summary>
    public ChannelAggregation Aggregation { get; init; } = ChannelAggregation.Sum;

    /// <summary>Which sign(s) to show.</summary>
    public HeatmapView View { get; init; } = HeatmapView.Signed;

    /// <summary>How the full-colour value s is chosen (values beyond s saturate).</summary>
    public HeatmapScaling Scaling { get; init; } = HeatmapScaling.Percentile;

    /// <summary>Percentile p (0..100) for <see cref="HeatmapScaling.Percentile"/> and <see cref="HeatmapScaling.CumulativeSum"/>.</summary>
    public double Percentile { get; init; } = 99.5;

    /// <summary>A fixed s instead of one computed from the map (to put several maps on one scale).</summary>
    public float? FixedScale { get; init; }

    /// <summary>Colours; null picks <see cref="Colormaps.BlueWhiteRed"/> for the signed view, <see cref="Colormaps.Inferno"/> otherwise.</summary>
    public Colormap? Colormap { get; init; }

    /// <summary>Output width; null keeps the map's width. CAM maps are upsampled bilinearly to it.</summary>
    public int? Width { get; init; }

    /// <summary>Output height; null keeps the map's height.</summary>
    public int? Height { get; init; }

    /// <summary>The colormap that will be used: <see cref="Colormap"/> or the view's default.</summary>
    public Colormap ResolvedColormap => Colormap ?? (View == HeatmapView.Signed ? Colormaps.BlueWhiteRed : Colormaps.Inferno);
}
