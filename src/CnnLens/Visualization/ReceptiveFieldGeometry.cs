namespace CnnLens.Visualization;

/// <summary>
/// How the positions of one tensor map to input pixels: per axis for feature maps
/// [N,C,H,W] built from windows and elementwise ops, or the whole image (after global pooling,
/// Gemm, reshapes, resizes and anything else whose positions mix the whole input).
/// </summary>
public sealed record ReceptiveFieldGeometry(AxisReach Vertical, AxisReach Horizontal, bool WholeImage)
{
    public static ReceptiveFieldGeometry Input { get; } = new(AxisReach.Identity, AxisReach.Identity, false);

    public static ReceptiveFieldGeometry Whole { get; } = new(default, default, true);

    public override string ToString() => WholeImage
        ? "whole image"
        : $"{Vertical.Size}x{Horizontal.Size} pixels, stride {Vertical.Jump}x{Horizontal.Jump}, offset ({Vertical.Start}, {Horizontal.Start})";
}
