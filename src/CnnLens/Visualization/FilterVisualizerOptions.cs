namespace CnnLens.Visualization;

/// <summary>What <see cref="FilterVisualizer"/> draws and how.</summary>
public sealed record FilterVisualizerOptions
{
    /// <summary>The convolution: its node name, output tensor or weight name; null takes the first Conv of the graph.</summary>
    public string? Layer { get; init; }

    public FilterScaling Scaling { get; init; } = FilterScaling.SymmetricMaxAbs;

    /// <summary>Scale each filter on its own (m or min/max per filter) instead of one scale shared by all, which keeps strong and weak filters comparable.</summary>
    public bool PerFilter { get; init; }

    /// <summary>Show filters in order of decreasing L2 norm instead of index order.</summary>
    public bool SortByNorm { get; init; }

    /// <summary>At most this many filters are drawn (the first in display order).</summary>
    public int MaxFilters { get; init; } = 256;

    /// <summary>Non-RGB filters draw one tile per input channel; at most this many channels per filter.</summary>
    public int MaxInputChannels { get; init; } = 16;

    /// <summary>Screen pixels per weight; null picks max(1, 32 / kernel size) so small kernels stay visible.</summary>
    public int? PixelsPerWeight { get; init; }

    /// <summary>Stamp each filter's index above its tile (or the first tile of its row).</summary>
    public bool Labels { get; init; } = true;

    internal void Validate()
    {
        if (MaxFilters < 1) throw new InvalidOptionException($"the filter count to draw must be at least 1, got {MaxFilters}");
        if (MaxInputChannels < 1) throw new InvalidOptionException($"the input channel count to draw must be at least 1, got {MaxInputChannels}");
        if (PixelsPerWeight is < 1) throw new InvalidOptionException($"pixels per weight must be at least 1, got {PixelsPerWeight}");
    }
}
