using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Visualization;

/// <summary>
/// The drawn filters of one convolution. <see cref="Normalized"/> holds the grey level in [0, 1]
/// of every weight (same shape as <see cref="Weights"/>); each drawn pixel is round(255·v).
/// </summary>
public sealed class FilterVisualization
{
    public required string NodeName { get; init; }

    public required string WeightName { get; init; }

    /// <summary>The convolution's output tensor (its feature maps).</summary>
    public required string OutputName { get; init; }

    /// <summary>The weights [filters, input channels per group, kH, kW] as stored in the model.</summary>
    public required Tensor Weights { get; init; }

    public required Tensor Normalized { get; init; }

    /// <summary>L2 norm of each filter, by filter index.</summary>
    public required float[] Norms { get; init; }

    /// <summary>The drawn filters in display order (index order, or by decreasing norm).</summary>
    public required int[] Filters { get; init; }

    /// <summary>True when each filter is one RGB tile (first-layer filters over 3 colour channels).</summary>
    public required bool IsRgb { get; init; }

    /// <summary>Input channels drawn per filter (1 for RGB tiles).</summary>
    public required int InputChannelsShown { get; init; }

    public required int PixelsPerWeight { get; init; }

    public required Image Grid { get; init; }

    public required GridLayout Layout { get; init; }

    /// <summary>The grid cell holding input channel <paramref name="inputChannel"/> of the filter shown at <paramref name="displayIndex"/>.</summary>
    public int CellIndex(int displayIndex, int inputChannel = 0) =>
        IsRgb || InputChannelsShown == 1 ? displayIndex : displayIndex * InputChannelsShown + inputChannel;
}
