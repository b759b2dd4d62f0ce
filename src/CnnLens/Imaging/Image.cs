namespace CnnLens.Imaging;

/// <summary>
/// An 8-bit image: <see cref="Channels"/> interleaved samples per pixel (1 gray, 2 gray+alpha,
/// 3 RGB, 4 RGBA), rows top to bottom, no padding. What decoders return and encoders take.
/// </summary>
public sealed class Image
{
    public Image(int width, int height, int channels, byte[]? pixels = null)
    {
        if (width <= 0 || height <= 0) throw new DataFormatException($"image size {width}x{height} is empty");
        if (channels is < 1 or > 4) throw new DataFormatException($"an image has 1 to 4 channels, not {channels}");
        long length = (long)width * height * channels;
        if (length > Array.MaxLength) throw new DataFormatException($"image {width}x{height} is too large to hold in memory");
        Pixels = pixels ?? new byte[length];
        if (Pixels.Length != length) throw new DataFormatException($"image {width}x{height}x{channels} needs {length} bytes, got {Pixels.Length}");
        Width = width;
        Height = height;
        Channels = channels;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public byte[] Pixels { get; }

    public int Stride => Width * Channels;

    public byte this[int x, int y, int channel]
    {
        get => Pixels[(y * Width + x) * Channels + channel];
        set => Pixels[(y * Width + x) * Channels + channel] = value;
    }
}
