namespace CnnLens.Imaging.Rendering;

/// <summary>Layout and look of an image grid.</summary>
public sealed record GridOptions
{
    /// <summary>Cells per row; null gives ceil(sqrt(N)).</summary>
    public int? Columns { get; init; }

    /// <summary>Cell content width; null uses the widest image.</summary>
    public int? CellWidth { get; init; }

    /// <summary>Cell content height; null uses the tallest image.</summary>
    public int? CellHeight { get; init; }

    /// <summary>Background pixels around the grid and between cells.</summary>
    public int Padding { get; init; } = 2;

    public Rgb Background { get; init; } = Rgb.White;

    /// <summary>Border drawn around each cell's content (0 for none), outside the content, inside the padding rhythm.</summary>
    public int BorderWidth { get; init; }

    public Rgb BorderColor { get; init; } = Rgb.Black;

    /// <summary>Filter used when an image's size differs from the cell size.</summary>
    public ResizeFilter Resize { get; init; } = ResizeFilter.Nearest;
}
