using CnnLens.Imaging.Rendering;

namespace CnnLens.Visualization;

/// <summary>What <see cref="ActivationVisualizer"/> draws and how.</summary>
public sealed record ActivationVisualizerOptions
{
    /// <summary>Show only the k channels ranked highest by <see cref="Ranking"/>; null shows all (up to <see cref="MaxChannels"/>).</summary>
    public int? Top { get; init; }

    /// <summary>Order of the drawn channels; with <see cref="Top"/> also the ranking that picks them.</summary>
    public ChannelRanking Ranking { get; init; } = ChannelRanking.Mean;

    /// <summary>At most this many channels in the grid when <see cref="Top"/> is null.</summary>
    public int MaxChannels { get; init; } = 256;

    /// <summary>Which image of the batch to draw.</summary>
    public int ImageIndex { get; init; }

    /// <summary>Colours of the grid cells (each map min-max scaled as <see cref="Normalization"/> says).</summary>
    public Colormap Colormap { get; init; } = Colormaps.Viridis;

    public TensorNormalization Normalization { get; init; } = TensorNormalization.PerChannel;

    /// <summary>Smallest cell side in pixels; maps are enlarged by a whole factor (nearest) to reach it.</summary>
    public int MinimumCellSize { get; init; } = 48;

    /// <summary>How many of the shown channels get an overlay on the photo (0 for none).</summary>
    public int Overlays { get; init; } = 8;

    /// <summary>Colours of the overlays (each channel's positive part scaled by its maximum).</summary>
    public Colormap OverlayColormap { get; init; } = Colormaps.Jet;

    public bool Labels { get; init; } = true;

    internal void Validate()
    {
        if (Top is < 1) throw new InvalidOptionException($"--top must be at least 1, got {Top}");
        if (MaxChannels < 1) throw new InvalidOptionException($"the channel count to draw must be at least 1, got {MaxChannels}");
        if (MinimumCellSize < 1) throw new InvalidOptionException($"the cell size must be at least 1, got {MinimumCellSize}");
        if (Overlays < 0) throw new InvalidOptionException($"the overlay count cannot be negative, got {Overlays}");
    }
}
