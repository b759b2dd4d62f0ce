using System.Buffers.Binary;

namespace CnnLens.Imaging.Codecs.Bmp;

/// <summary>
/// Decodes uncompressed 24- and 32-bit Windows BMP files (bottom-up or top-down). Like PIL, a
/// 32-bit BI_RGB file gives RGB (the fourth byte is padding) and a BITFIELDS file with an alpha
/// mask gives RGBA.
/// </summary>
public static class BmpDecoder
{
    public static bool IsBmp(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == (byte)'B' && data[1] == (byte)'M';

    public static Image Decode(ReadOnlySpan<byte> data, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        if (!IsBmp(data)) throw new DataFormatException("data is not a BMP file ('BM' missing)");
        if (data.Length < 54) throw BigEndian.Truncated("BMP");
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(data[14..]);
        if (headerSize < 40) throw new DataFormatException("BMP uses an old OS/2 header, which is not supported; re-save it as a Windows BMP or PNG");
        int width = BinaryPrimitives.ReadInt32LittleEndian(data[18..]);
        int rawHeight = BinaryPrimitives.ReadInt32LittleEndian(data[22..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
        int compression = BinaryPrimitives.ReadInt32LittleEndian(data[30..]);
        bool topDown = rawHeight < 0;
        long height = Math.Abs((long)rawHeight);
        options.CheckSize(width, height, "BMP");
        if (bits is not (24 or 32))
            throw new DataFormatException($"BMP has {bits} bits per pixel; only 24- and 32-bit BMPs are supported");
        bool alpha = false;
        if (compression == 3 && bits == 32)
        {
            int maskAt = 14 + 40;
            if (data.Length < maskAt + 16) throw BigEndian.Truncated("BMP");
            uint r = BinaryPrimitives.ReadUInt32LittleEndian(data[maskAt..]);
            uint g = BinaryPrimitives.ReadUInt32LittleEndian(data[(maskAt + 4)..]);
            uint b = BinaryPrimitives.ReadUInt32LittleEndian(data[(maskAt + 8)..]);
            uint a = headerSize >= 56 || pixelOffset >= maskAt + 16 ? BinaryPrimitives.ReadUInt32LittleEndian(data[(maskAt + 12)..]) : 0;
            if (r != 0xFF0000 || g != 0xFF00 || b != 0xFF || a is not (0 or 0xFF000000))
                throw new DataFormatException("BMP uses unusual colour bit masks, which are not supported; re-save it as PNG");
            alpha = a != 0;
        }
        else if (compression != 0)
            throw new DataFormatException($"BMP uses compression {compression}; only uncompressed BMPs are supported");

        int bytesPerPixel = bits / 8;
        long rowBytes = ((long)width * bits + 31) / 32 * 4;
        if (pixelOffset > data.Length || pixelOffset + rowBytes * height > data.Length) throw BigEndian.Truncated("BMP");
        int channels = alpha ? 4 : 3;
        var image = new Image(width, (int)height, channels);
        for (int y = 0; y < height; y++)
        {
            int sourceRow = topDown ? y : (int)height - 1 - y;
            var src = data.Slice((int)(pixelOffset + sourceRow * rowBytes), width * bytesPerPixel);
            var dst = image.Pixels.AsSpan(y * image.Stride, image.Stride);
            for (int x = 0; x < width; x++)
            {
                dst[x * channels] = src[x * bytesPerPixel + 2];
                dst[x * channels + 1] = src[x * bytesPerPixel + 1];
                dst[x * channels + 2] = src[x * bytesPerPixel];
                if (alpha) dst[x * channels + 3] = src[x * bytesPerPixel + 3];
            }
        }
        return image;
    }
}
