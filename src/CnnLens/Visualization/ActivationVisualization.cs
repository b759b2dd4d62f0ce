using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Visualization;

/// <summary>The feature maps of one layer for one image, as drawn.</summary>
public sealed class ActivationVisualization
{
    public required string Layer { get; init; }

    /// <summary>The layer's activation for the drawn image, [C,H,W] (Model.Forward's kept tensor, one image).</summary>
    public required Tensor Activation { get; init; }

    /// <summary>The drawn channels in display order.</summary>
    public required int[] Channels { get; init; }

    /// <summary>Mean activation of each drawn channel (same order as <see cref="Channels"/>).</summary>
    public required float[] Means { get; init; }

    /// <summary>Maximum activation of each drawn channel.</summary>
    public required float[] Maxima { get; init; }

    /// <summary>Grid of the drawn channels, cell k = channel Channels[k], each map enlarged <see cref="PixelsPerValue"/> times.</summary>
    public required Image Grid { get; init; }

    public required GridLayout Layout { get; init; }

    public required int PixelsPerValue { get; init; }

    /// <summary>The first drawn channels blended over the photo at input resolution (bilinear upsampling), same order; empty without a photo.</summary>
    public required IReadOnlyList<Image> Overlays { get; init; }
}
