namespace CnnLens.Visualization;

/// <summary>
/// A rectangle of input pixels: rows <see cref="Top"/>..<see cref="Bottom"/>−1 and columns
/// <see cref="Left"/>..<see cref="Right"/>−1 (bottom and right exclusive). Unclipped receptive
/// fields may start at negative coordinates or end past the image (the padding they read).
/// </summary>
public readonly record struct PixelRectangle(int Top, int Left, int Height, int Width)
{
    public int Bottom => Top + Height;

    public int Right => Left + Width;

    public bool IsEmpty => Height <= 0 || Width <= 0;

    public bool Contains(int y, int x) => y >= Top && y < Bottom && x >= Left && x < Right;

    /// <summary>The part inside an image of <paramref name="imageHeight"/> x <paramref name="imageWidth"/>; all zeros when none is.</summary>
    public PixelRectangle ClipTo(int imageHeight, int imageWidth)
    {
        int top = Math.Clamp(Top, 0, imageHeight), left = Math.Clamp(Left, 0, imageWidth);
        int bottom = Math.Clamp(Bottom, 0, imageHeight), right = Math.Clamp(Right, 0, imageWidth);
        return bottom > top && right > left ? new PixelRectangle(top, left, bottom - top, right - left) : default;
    }

    public override string ToString() => IsEmpty ? "empty" : $"rows {Top}..{Bottom - 1}, columns {Left}..{Right - 1} ({Height}x{Width})";
}
