namespace CnnLens.Imaging.Rendering;

/// <summary>
/// Where each cell of an image grid goes. Cell k sits in row k / Columns, column k % Columns; its
/// border starts at Padding + column·(CellWidth + 2·BorderWidth + Padding) (likewise vertically)
/// and its content BorderWidth pixels further in. Reports use the rectangles to place labels.
/// </summary>
public sealed record GridLayout(int Count, int Columns, int Rows, int CellWidth, int CellHeight, int Padding, int BorderWidth)
{
    /// <summary>Horizontal distance from one cell's border to the next.</summary>
    public int PitchX => CellWidth + 2 * BorderWidth + Padding;

    /// <summary>Vertical distance from one cell's border to the next.</summary>
    public int PitchY => CellHeight + 2 * BorderWidth + Padding;

    public int Width => Padding + Columns * PitchX;

    public int Height => Padding + Rows * PitchY;

    /// <summary>Top-left corner and size of cell <paramref name="index"/>'s content (inside its border).</summary>
    public (int X, int Y, int Width, int Height) CellContent(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"grid has {Count} cells");
        int column = index % Columns, row = index / Columns;
        return (Padding + column * PitchX + BorderWidth, Padding + row * PitchY + BorderWidth, CellWidth, CellHeight);
    }

    /// <summary>Plans a grid of <paramref name="count"/> cells of the given content size.</summary>
    public static GridLayout Plan(int count, int cellWidth, int cellHeight, GridOptions options)
    {
        if (count <= 0) throw new InvalidOptionException("an image grid needs at least one image");
        if (cellWidth <= 0 || cellHeight <= 0) throw new InvalidOptionException($"grid cell size {cellWidth}x{cellHeight} must be positive");
        if (options.Padding < 0 || options.BorderWidth < 0)
            throw new InvalidOptionException($"grid padding ({options.Padding}) and border width ({options.BorderWidth}) cannot be negative");
        if (options.Columns is <= 0) throw new InvalidOptionException($"grid column count must be positive, got {options.Columns}");
        int columns = Math.Min(options.Columns ?? (int)Math.Ceiling(Math.Sqrt(count)), count);
        int rows = (count + columns - 1) / columns;
        return new GridLayout(count, columns, rows, cellWidth, cellHeight, options.Padding, options.BorderWidth);
    }
}
