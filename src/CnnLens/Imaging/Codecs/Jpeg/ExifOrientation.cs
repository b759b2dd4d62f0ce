namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>
/// Reads the EXIF orientation tag (0x0112) from an APP1 "Exif" segment and applies it. PIL's
/// <c>Image.open</c> and torchvision ignore it; <c>ImageOps.exif_transpose</c> applies it with the
/// same eight transforms as <see cref="Apply"/>.
/// </summary>
public static class ExifOrientation
{
    /// <summary>The orientation (1-8) in an APP1 payload, or 1 when absent or unreadable.</summary>
    internal static int Read(ReadOnlySpan<byte> app1)
    {
        if (app1.Length < 14 || !app1.StartsWith("Exif\0\0"u8)) return 1;
        byte[] tiff = app1[6..].ToArray();
        bool little = tiff[0] == (byte)'I' && tiff[1] == (byte)'I';
        bool big = tiff[0] == (byte)'M' && tiff[1] == (byte)'M';
        if (!little && !big) return 1;
        int U16(int o) => o >= 0 && o + 2 <= tiff.Length ? (little ? tiff[o] | tiff[o + 1] << 8 : tiff[o] << 8 | tiff[o + 1]) : -1;
        long U32(int o) => o >= 0 && o + 4 <= tiff.Length
            ? (little ? (uint)(tiff[o] | tiff[o + 1] << 8 | tiff[o + 2] << 16 | tiff[o + 3] << 24)
                      : (uint)(tiff[o] << 24 | tiff[o + 1] << 16 | tiff[o + 2] << 8 | tiff[o + 3]))
            : -1;
        long ifd = U32(4);
        if (ifd < 8 || ifd > tiff.Length - 2) return 1;
        int count = U16((int)ifd);
        for (int i = 0; i < count; i++)
        {
            int entry = (int)ifd + 2 + 12 * i;
            if (entry + 12 > tiff.Length) break;
            if (U16(entry) != 0x0112) continue;
            int type = U16(entry + 2);
            int value = type == 3 ? U16(entry + 8) : type == 4 ? (int)Math.Min(U32(entry + 8), 9) : -1;
            return value is >= 1 and <= 8 ? value : 1;
        }
        return 1;
    }

    /// <summary>Returns <paramref name="image"/> rotated/flipped so that EXIF orientation <paramref name="orientation"/> becomes 1.</summary>
    public static Image Apply(Image image, int orientation)
    {
        if (orientation is < 2 or > 8) return image;
        int w = image.Width, h = image.Height, c = image.Channels;
        bool transpose = orientation >= 5;
        var result = new Image(transpose ? h : w, transpose ? w : h, c);
        int outW = result.Width, outH = result.Height;
        var src = image.Pixels;
        var dst = result.Pixels;
        for (int y = 0; y < outH; y++)
            for (int x = 0; x < outW; x++)
            {
                (int sx, int sy) = orientation switch
                {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                src.AsSpan((sy * w + sx) * c, c).CopyTo(dst.AsSpan((y * outW + x) * c, c));
            }
        return result;
    }
}
