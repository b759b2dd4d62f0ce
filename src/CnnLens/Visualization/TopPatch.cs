using CnnLens.Imaging;

namespace CnnLens.Visualization;

/// <summary>
/// One of the images that excite a channel most: the channel's maximum over positions
/// (<see cref="Activation"/>, first maximum in row-major order at <see cref="Y"/>, <see cref="X"/>),
/// the receptive field of that position, and the patch of the prepared image it covers.
/// </summary>
public sealed record TopPatch(int ImageIndex, string Source, int Channel, float Activation, int Y, int X, ReceptiveField Field)
{
    /// <summary>
    /// The unclipped receptive field cut from the image as the model saw it; parts outside the
    /// image (padding) are mid-grey, so every patch of a layer has the same size.
    /// </summary>
    public Image? Patch { get; init; }
}
