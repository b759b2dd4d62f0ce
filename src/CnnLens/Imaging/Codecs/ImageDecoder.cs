using CnnLens.Imaging.Codecs.Bmp;
using CnnLens.Imaging.Codecs.Jpeg;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Imaging.Codecs.Pnm;

namespace CnnLens.Imaging.Codecs;

/// <summary>
/// Decodes PNG, JPEG, BMP and PGM/PPM images, choosing the codec from the file's first bytes
/// (never its extension). Every failure is a <see cref="DataFormatException"/>.
/// </summary>
public static class ImageDecoder
{
    public const string SupportedFormats = "PNG, JPEG (baseline/progressive), BMP (24/32-bit), PGM/PPM";

    public static Image Decode(byte[] data, DecodeOptions? options = null) => Decode(data, options, "image data");

    /// <summary>Reads and decodes <paramref name="path"/>; errors name the file.</summary>
    public static Image DecodeFile(string path, DecodeOptions? options = null)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DataFormatException($"cannot read image '{path}': {e.Message}", e);
        }
        try
        {
            return Decode(data, options, $"'{path}'");
        }
        catch (DataFormatException e) when (!e.Message.StartsWith($"'{path}'", StringComparison.Ordinal))
        {
            throw new DataFormatException($"image '{path}': {e.Message}", e);
        }
    }

    private static Image Decode(byte[] data, DecodeOptions? options, string name)
    {
        if (PngDecoder.IsPng(data)) return PngDecoder.Decode(data, options);
        if (JpegDecoder.IsJpeg(data)) return JpegDecoder.Decode(data, options);
        if (BmpDecoder.IsBmp(data)) return BmpDecoder.Decode(data, options);
        if (PnmDecoder.IsPnm(data)) return PnmDecoder.Decode(data, options);
        throw new DataFormatException($"{name} is not an image format CnnLens reads (supported: {SupportedFormats})");
    }
}
