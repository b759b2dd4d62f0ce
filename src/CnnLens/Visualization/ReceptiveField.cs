namespace CnnLens.Visualization;

/// <summary>
/// The input pixels one position of a layer can depend on. <see cref="Unclipped"/> is the full
/// window (it can reach into the zero padding outside the image); <see cref="Clipped"/> is its
/// part inside the image, the patch to show.
/// </summary>
public sealed record ReceptiveField(PixelRectangle Clipped, PixelRectangle Unclipped);
