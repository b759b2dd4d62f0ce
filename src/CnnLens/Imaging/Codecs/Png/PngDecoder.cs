using System.IO.Compression;
using System.Text;

namespace CnnLens.Imaging.Codecs.Png;

/// <summary>
/// Decodes PNG files of every colour type, bit depth and interlace method to an 8-bit
/// <see cref="Image"/> with PIL's sample values: low bit depths are scaled to 0-255, 16-bit colour
/// keeps the high byte, 16-bit gray clamps at 255 (PIL mode "I"), palettes are expanded to RGB, and
/// a tRNS chunk adds an alpha channel (which PIL's <c>convert("RGB")</c> would drop again).
/// </summary>
public static class PngDecoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly (int X, int Y, int DX, int DY)[] Adam7Passes =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>True when <paramref name="data"/> starts with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    public static Image Decode(ReadOnlySpan<byte> data, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        if (!IsPng(data)) throw new DataFormatException("data is not a PNG file (signature missing)");

        Header? header = null;
        byte[]? palette = null;
        byte[]? transparency = null;
        using var compressed = new MemoryStream();
        bool sawEnd = false;
        int pos = Signature.Length;
        while (pos < data.Length)
        {
            uint length = BigEndian.UInt32(data, pos, "PNG");
            if (length > int.MaxValue || pos + 12L + length > data.Length) throw BigEndian.Truncated("PNG");
            var typeBytes = data.Slice(pos + 4, 4);
            var body = data.Slice(pos + 8, (int)length);
            uint storedCrc = BigEndian.UInt32(data, pos + 8 + (int)length, "PNG");
            string type = Encoding.ASCII.GetString(typeBytes);
            if (Crc32.Compute(data.Slice(pos + 4, 4 + (int)length)) != storedCrc)
                throw new DataFormatException($"PNG chunk '{Printable(type)}' fails its CRC check; the file is corrupt");
            pos += 12 + (int)length;

            if (header is null && type != "IHDR") throw new DataFormatException("PNG file does not start with an IHDR chunk; the file is corrupt");
            switch (type)
            {
                case "IHDR":
                    if (header is not null) throw new DataFormatException("PNG file has two IHDR chunks; the file is corrupt");
                    header = Header.Parse(body, options);
                    break;
                case "PLTE":
                    if (length % 3 != 0 || length == 0 || length > 768) throw new DataFormatException($"PNG palette has {length} bytes, not 3 to 768 in steps of 3; the file is corrupt");
                    palette = body.ToArray();
                    break;
                case "tRNS":
                    transparency = body.ToArray();
                    break;
                case "IDAT":
                    compressed.Write(body);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                default:
                    if ((typeBytes[0] & 0x20) == 0)
                        throw new DataFormatException($"PNG file needs chunk '{Printable(type)}', which this decoder does not know");
                    break;
            }
            if (sawEnd) break;
        }
        if (header is null) throw BigEndian.Truncated("PNG");
        if (compressed.Length == 0) throw new DataFormatException("PNG file has no image data (IDAT); it is truncated or corrupt");
        var h = header.Value;
        if (h.ColorType == PngColorType.Palette && palette is null)
            throw new DataFormatException("PNG palette image has no PLTE chunk; the file is corrupt");

        byte[] raw = Inflate(compressed, h.RawSize());
        return Reconstruct(raw, h, palette, transparency, options);
    }

    private static string Printable(string type) => new(type.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '?').ToArray());

    private static byte[] Inflate(MemoryStream compressed, long expected)
    {
        if (expected > Array.MaxLength) throw new DataFormatException("PNG image is too large to decode");
        compressed.Position = 0;
        // Grow with the data actually present, so a corrupt header cannot make us allocate a huge buffer up front.
        var output = new MemoryStream((int)Math.Min(expected, 1 << 20));
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            var buffer = new byte[81920];
            while (output.Length < expected)
            {
                int n = zlib.Read(buffer, 0, (int)Math.Min(buffer.Length, expected - output.Length));
                if (n == 0) break;
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException("PNG image data does not decompress (bad zlib stream); the file is corrupt", e);
        }
        if (output.Length < expected) throw new DataFormatException("PNG image data ends early; the file is truncated");
        return output.Length == output.Capacity ? output.GetBuffer() : output.ToArray();
    }

    private static Image Reconstruct(byte[] raw, Header h, byte[]? palette, byte[]? transparency, DecodeOptions options)
    {
        int outChannels = h.ColorType switch
        {
            PngColorType.Gray => transparency is { Length: >= 2 } ? 2 : 1,
            PngColorType.Rgb => transparency is { Length: >= 6 } ? 4 : 3,
            PngColorType.Palette => transparency is { Length: > 0 } ? 4 : 3,
            PngColorType.GrayAlpha => 2,
            _ => 4,
        };
        var image = new Image(h.Width, h.Height, outChannels);
        var converter = new RowConverter(h, palette, transparency, outChannels, options);
        if (!h.Interlaced)
        {
            Unfilter(raw, 0, h.Width, h.Height, h, (y, row) => converter.Convert(row, h.Width, image.Pixels.AsSpan(y * image.Stride, image.Stride), 1));
        }
        else
        {
            long offset = 0;
            foreach (var (x0, y0, dx, dy) in Adam7Passes)
            {
                int w = (h.Width - x0 + dx - 1) / dx, ht = (h.Height - y0 + dy - 1) / dy;
                if (w <= 0 || ht <= 0) continue;
                offset = Unfilter(raw, offset, w, ht, h, (y, row) =>
                {
                    int outY = y0 + y * dy;
                    var dest = image.Pixels.AsSpan(outY * image.Stride + x0 * outChannels);
                    converter.Convert(row, w, dest, dx);
                });
            }
        }
        return image;
    }

    private delegate void RowSink(int y, ReadOnlySpan<byte> row);

    /// <summary>Unfilters <paramref name="height"/> rows in place starting at <paramref name="offset"/>; returns the offset after them.</summary>
    private static long Unfilter(byte[] raw, long offset, int width, int height, Header h, RowSink sink)
    {
        int rowBytes = h.RowBytes(width);
        int bpp = Math.Max(1, h.BitsPerPixel / 8);
        byte[] zeros = new byte[rowBytes];
        int previous = -1;
        for (int y = 0; y < height; y++)
        {
            int start = checked((int)offset);
            int filter = raw[start];
            var row = raw.AsSpan(start + 1, rowBytes);
            ReadOnlySpan<byte> prev = previous < 0 ? zeros : raw.AsSpan(previous, rowBytes);
            PngFilter.Unfilter(filter, row, prev, bpp);
            sink(y, row);
            previous = start + 1;
            offset += rowBytes + 1;
        }
        return offset;
    }

    /// <summary>The IHDR fields.</summary>
    private readonly record struct Header(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
    {
        public int SamplesPerPixel => ColorType switch
        {
            PngColorType.Gray or PngColorType.Palette => 1,
            PngColorType.GrayAlpha => 2,
            PngColorType.Rgb => 3,
            _ => 4,
        };

        public int BitsPerPixel => SamplesPerPixel * BitDepth;

        public int RowBytes(int width) => (int)(((long)width * BitsPerPixel + 7) / 8);

        public long RawSize()
        {
            if (!Interlaced) return (long)Height * (RowBytes(Width) + 1);
            long total = 0;
            foreach (var (x0, y0, dx, dy) in Adam7Passes)
            {
                int w = (Width - x0 + dx - 1) / dx, ht = (Height - y0 + dy - 1) / dy;
                if (w > 0 && ht > 0) total += (long)ht * (RowBytes(w) + 1);
            }
            return total;
        }

        public static Header Parse(ReadOnlySpan<byte> body, DecodeOptions options)
        {
            if (body.Length != 13) throw new DataFormatException($"PNG IHDR chunk has {body.Length} bytes instead of 13; the file is corrupt");
            uint width = BigEndian.UInt32(body, 0, "PNG"), height = BigEndian.UInt32(body, 4, "PNG");
            if (width > int.MaxValue || height > int.MaxValue) throw new DataFormatException($"PNG size {width}x{height} is invalid; the file is corrupt");
            options.CheckSize(width, height, "PNG");
            int depth = body[8];
            var type = (PngColorType)body[9];
            bool valid = type switch
            {
                PngColorType.Gray => depth is 1 or 2 or 4 or 8 or 16,
                PngColorType.Palette => depth is 1 or 2 or 4 or 8,
                PngColorType.Rgb or PngColorType.GrayAlpha or PngColorType.Rgba => depth is 8 or 16,
                _ => false,
            };
            if (!valid) throw new DataFormatException($"PNG colour type {body[9]} with bit depth {depth} is not a valid combination; the file is corrupt");
            if (body[10] != 0 || body[11] != 0) throw new DataFormatException("PNG uses an unknown compression or filter method; the file is corrupt");
            if (body[12] > 1) throw new DataFormatException($"PNG interlace method {body[12]} does not exist; the file is corrupt");
            return new Header((int)width, (int)height, depth, type, body[12] == 1);
        }
    }

    /// <summary>Turns one unfiltered row of samples into 8-bit output pixels.</summary>
    private sealed class RowConverter
    {
        private readonly Header _h;
        private readonly int _outChannels;
        private readonly byte[] _paletteRgba; // 256 entries x RGBA
        private readonly int _transparentGray = -1;
        private readonly int _transparentR = -1, _transparentG = -1, _transparentB = -1;
        private readonly bool _clampGray16;

        public RowConverter(Header h, byte[]? palette, byte[]? transparency, int outChannels, DecodeOptions options)
        {
            _h = h;
            _outChannels = outChannels;
            _clampGray16 = options.ClampSixteenBitGrayLikePil;
            _paletteRgba = new byte[256 * 4];
            if (palette is not null)
            {
                // Entries the PLTE chunk leaves out are a gray ramp (i, i, i), as in PIL.
                for (int i = 0; i < 256; i++)
                {
                    _paletteRgba[i * 4] = _paletteRgba[i * 4 + 1] = _paletteRgba[i * 4 + 2] = (byte)i;
                    _paletteRgba[i * 4 + 3] = 255;
                }
                for (int i = 0; i < palette.Length / 3; i++)
                {
                    _paletteRgba[i * 4] = palette[i * 3];
                    _paletteRgba[i * 4 + 1] = palette[i * 3 + 1];
                    _paletteRgba[i * 4 + 2] = palette[i * 3 + 2];
                }
                if (transparency is not null)
                    for (int i = 0; i < Math.Min(256, transparency.Length); i++) _paletteRgba[i * 4 + 3] = transparency[i];
            }
            if (h.ColorType == PngColorType.Gray && transparency is { Length: >= 2 })
                _transparentGray = (transparency[0] << 8 | transparency[1]) & ((1 << h.BitDepth) - 1);
            if (h.ColorType == PngColorType.Rgb && transparency is { Length: >= 6 })
            {
                int mask = (1 << h.BitDepth) - 1;
                _transparentR = (transparency[0] << 8 | transparency[1]) & mask;
                _transparentG = (transparency[2] << 8 | transparency[3]) & mask;
                _transparentB = (transparency[4] << 8 | transparency[5]) & mask;
            }
        }

        /// <summary>Writes <paramref name="width"/> pixels to <paramref name="dest"/>, every <paramref name="step"/>-th pixel (Adam7).</summary>
        public void Convert(ReadOnlySpan<byte> row, int width, Span<byte> dest, int step)
        {
            int oc = _outChannels, stride = step * oc;
            int depth = _h.BitDepth;
            switch (_h.ColorType)
            {
                case PngColorType.Gray:
                    for (int x = 0; x < width; x++)
                    {
                        int v = Sample(row, x, depth);
                        byte g = depth switch
                        {
                            16 => _clampGray16 ? (byte)Math.Min(v, 255) : (byte)(v >> 8),
                            8 => (byte)v,
                            _ => (byte)(v * 255 / ((1 << depth) - 1)),
                        };
                        dest[x * stride] = g;
                        if (oc == 2) dest[x * stride + 1] = v == _transparentGray ? (byte)0 : (byte)255;
                    }
                    break;
                case PngColorType.Palette:
                    for (int x = 0; x < width; x++)
                    {
                        int i = Sample(row, x, depth) * 4;
                        for (int c = 0; c < oc; c++) dest[x * stride + c] = _paletteRgba[i + c];
                    }
                    break;
                case PngColorType.Rgb:
                    for (int x = 0; x < width; x++)
                    {
                        int r = Sample(row, 3 * x, depth), g = Sample(row, 3 * x + 1, depth), b = Sample(row, 3 * x + 2, depth);
                        int o = x * stride;
                        int shift = depth - 8;
                        dest[o] = (byte)(r >> shift);
                        dest[o + 1] = (byte)(g >> shift);
                        dest[o + 2] = (byte)(b >> shift);
                        if (oc == 4) dest[o + 3] = r == _transparentR && g == _transparentG && b == _transparentB ? (byte)0 : (byte)255;
                    }
                    break;
                default: // gray+alpha, RGBA: high byte of each sample
                    int samples = _h.SamplesPerPixel, bytesPerSample = depth / 8;
                    for (int x = 0; x < width; x++)
                        for (int c = 0; c < samples; c++)
                            dest[x * stride + c] = row[(x * samples + c) * bytesPerSample];
                    break;
            }
        }

        private static int Sample(ReadOnlySpan<byte> row, int index, int depth) => depth switch
        {
            8 => row[index],
            16 => row[2 * index] << 8 | row[2 * index + 1],
            _ => (row[index * depth >> 3] >> (8 - depth - (index * depth & 7))) & ((1 << depth) - 1),
        };
    }
}
