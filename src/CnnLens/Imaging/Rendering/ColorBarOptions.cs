namespace CnnLens.Imaging.Rendering;

/// <summary>Size and look of a colour bar.</summary>
public sealed record ColorBarOptions
{
    public ColorBarOrientation Orientation { get; init; } = ColorBarOrientation.Vertical;

    /// <summary>Pixels along the colour axis.</summary>
    public int Length { get; init; } = 256;

    /// <summary>Pixels across the colour axis.</summary>
    public int Thickness { get; init; } = 16;

    /// <summary>Draw 1-pixel tick lines across the bar at the tick positions.</summary>
    public bool DrawTicks { get; init; } = true;

    public Rgb TickColor { get; init; } = Rgb.Black;
}
