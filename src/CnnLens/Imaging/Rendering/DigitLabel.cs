namespace CnnLens.Imaging.Rendering;

/// <summary>
/// Stamps short numeric labels (digits, '-', '.') into an RGB image with a 3x5 pixel font, so
/// grids can number their cells (filter and channel indices) without a font engine.
/// </summary>
public static class DigitLabel
{
    /// <summary>Height of a label in pixels at scale 1.</summary>
    public const int GlyphHeight = 5;

    /// <summary>Horizontal distance from one glyph to the next at scale 1 (3 pixels and a gap).</summary>
    public const int Advance = 4;

    // Rows top to bottom, 3 bits each (most significant = left column).
    private static readonly Dictionary<char, int[]> Glyphs = new()
    {
        ['0'] = [7, 5, 5, 5, 7], ['1'] = [2, 6, 2, 2, 7], ['2'] = [7, 1, 7, 4, 7], ['3'] = [7, 1, 7, 1, 7],
        ['4'] = [5, 5, 7, 1, 1], ['5'] = [7, 4, 7, 1, 7], ['6'] = [7, 4, 7, 5, 7], ['7'] = [7, 1, 1, 1, 1],
        ['8'] = [7, 5, 7, 5, 7], ['9'] = [7, 5, 7, 1, 7], ['-'] = [0, 0, 7, 0, 0], ['.'] = [0, 0, 0, 0, 2],
        [' '] = [0, 0, 0, 0, 0],
    };

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/>.</summary>
    public static int Width(string text, int scale = 1) => text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;

    /// <summary>
    /// Draws <paramref name="text"/> with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>)
    /// in an RGB image; pixels outside the image are skipped. Characters other than digits, '-', '.' and space are not allowed.
    /// </summary>
    public static void Draw(Image image, int x, int y, string text, Rgb colour, int scale = 1)
    {
        if (image.Channels != 3) throw new InvalidOptionException($"labels are drawn on RGB images, not {image.Channels}-channel ones");
        if (scale < 1) throw new InvalidOptionException($"label scale must be at least 1, got {scale}");
        for (int i = 0; i < text.Length; i++)
        {
            if (!Glyphs.TryGetValue(text[i], out var rows))
                throw new InvalidOptionException($"label character '{text[i]}' cannot be drawn (digits, '-', '.', space)");
            int left = x + i * Advance * scale;
            for (int row = 0; row < GlyphHeight; row++)
                for (int column = 0; column < 3; column++)
                    if ((rows[row] >> (2 - column) & 1) != 0)
                        FillBlock(image, left + column * scale, y + row * scale, scale, colour);
        }
    }

    private static void FillBlock(Image image, int x0, int y0, int scale, Rgb colour)
    {
        for (int y = Math.Max(0, y0); y < Math.Min(image.Height, y0 + scale); y++)
            for (int x = Math.Max(0, x0); x < Math.Min(image.Width, x0 + scale); x++)
            {
                int i = (y * image.Width + x) * 3;
                image.Pixels[i] = colour.R;
                image.Pixels[i + 1] = colour.G;
                image.Pixels[i + 2] = colour.B;
            }
    }
}
