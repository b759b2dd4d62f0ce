namespace CnnLens.Imaging.Rendering;

/// <summary>An 8-bit RGB colour (background, border, tick and "bad value" colours).</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb Black => new(0, 0, 0);

    public static Rgb White => new(255, 255, 255);

    /// <summary>Magenta: appears in none of the built-in maps, so NaN pixels stand out.</summary>
    public static Rgb Magenta => new(255, 0, 255);
}
