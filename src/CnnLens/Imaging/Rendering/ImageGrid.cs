namespace CnnLens.Imaging.Rendering;

/// <summary>
/// Lays images out in rows and columns on a background, each resized to a common cell size,
/// with optional borders: filter and activation grids, report panels.
/// </summary>
public static class ImageGrid
{
    /// <summary>The layout <see cref="Compose"/> would use for <paramref name="images"/>.</summary>
    public static GridLayout Plan(IReadOnlyList<Image> images, GridOptions? options = null)
    {
        options ??= new GridOptions();
        if (images.Count == 0) throw new InvalidOptionException("an image grid needs at least one image");
        int cellWidth = options.CellWidth ?? images.Max(i => i.Width);
        int cellHeight = options.CellHeight ?? images.Max(i => i.Height);
        return GridLayout.Plan(images.Count, cellWidth, cellHeight, options);
    }

    /// <summary>Composes <paramref name="images"/> (gray or RGB, alpha ignored) into one RGB image, in reading order.</summary>
    public static Image Compose(IReadOnlyList<Image> images, GridOptions? options = null)
    {
        options ??= new GridOptions();
        var layout = Plan(images, options);
        var grid = new Image(layout.Width, layout.Height, 3);
        Fill(grid, 0, 0, layout.Width, layout.Height, options.Background);
        for (int k = 0; k < images.Count; k++)
        {
            var (x, y, width, height) = layout.CellContent(k);
            int b = layout.BorderWidth;
            if (b > 0) Fill(grid, x - b, y - b, width + 2 * b, height + 2 * b, options.BorderColor);
            var cell = images[k].Width == width && images[k].Height == height
                ? images[k]
                : Resampling.Resize(images[k], width, height, options.Resize);
            Paste(grid, cell, x, y);
        }
        return grid;
    }

    private static void Fill(Image image, int x0, int y0, int width, int height, Rgb colour)
    {
        for (int y = y0; y < y0 + height; y++)
        {
            var row = image.Pixels.AsSpan((y * image.Width + x0) * 3, width * 3);
            for (int i = 0; i < row.Length; i += 3)
            {
                row[i] = colour.R;
                row[i + 1] = colour.G;
                row[i + 2] = colour.B;
            }
        }
    }

    private static void Paste(Image grid, Image cell, int x0, int y0)
    {
        int channels = cell.Channels;
        for (int y = 0; y < cell.Height; y++)
        {
            var target = grid.Pixels.AsSpan(((y0 + y) * grid.Width + x0) * 3, cell.Width * 3);
            var source = cell.Pixels.AsSpan(y * cell.Stride, cell.Stride);
            if (channels == 3)
            {
                source.CopyTo(target);
                continue;
            }
            for (int x = 0; x < cell.Width; x++)
            {
                int s = x * channels;
                // Gray (1 or 2 channels) repeats its one sample; RGBA drops alpha.
                bool color = channels >= 3;
                target[x * 3] = source[s];
                target[x * 3 + 1] = color ? source[s + 1] : source[s];
                target[x * 3 + 2] = color ? source[s + 2] : source[s];
            }
        }
    }
}
