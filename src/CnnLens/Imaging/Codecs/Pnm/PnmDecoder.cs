namespace CnnLens.Imaging.Codecs.Pnm;

/// <summary>
/// Decodes Netpbm gray and colour maps: P2/P5 (PGM) and P3/P6 (PPM), ASCII or binary, any maxval
/// up to 65535. Samples are scaled to 0-255 as PIL does (round(v / maxval * 255), halves to even); 16-bit gray follows
/// <see cref="DecodeOptions.ClampSixteenBitGrayLikePil"/> (PIL scales to 0-65535, then clamps at 255).
/// </summary>
public static class PnmDecoder
{
    public static bool IsPnm(ReadOnlySpan<byte> data) =>
        data.Length >= 3 && data[0] == (byte)'P' && data[1] is (byte)'2' or (byte)'3' or (byte)'5' or (byte)'6' &&
        data[2] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'#';

    public static Image Decode(ReadOnlySpan<byte> data, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        if (!IsPnm(data)) throw new DataFormatException("data is not a PGM/PPM file (P2, P3, P5 or P6 header missing)");
        char kind = (char)data[1];
        int pos = 2;
        long width = ReadNumber(data, ref pos), height = ReadNumber(data, ref pos), maxval = ReadNumber(data, ref pos);
        options.CheckSize(width, height, "PGM/PPM");
        if (maxval is < 1 or > 65535) throw new DataFormatException($"PGM/PPM maxval {maxval} is outside 1-65535; the file is corrupt");
        int channels = kind is '3' or '6' ? 3 : 1;
        long count = width * height * channels;
        bool binary = kind is '5' or '6';
        if (binary)
        {
            if (pos >= data.Length) throw BigEndian.Truncated("PGM/PPM");
            pos++; // exactly one whitespace byte separates the header from the samples
            int bytesPerSample = maxval > 255 ? 2 : 1;
            if (pos + count * bytesPerSample > data.Length) throw BigEndian.Truncated("PGM/PPM");
        }
        else if (count > data.Length - pos)
        {
            throw BigEndian.Truncated("PGM/PPM"); // every ASCII sample needs at least one digit
        }
        var image = new Image((int)width, (int)height, channels);
        var pixels = image.Pixels;
        for (long i = 0; i < count; i++)
        {
            long v;
            if (binary) v = maxval > 255 ? data[pos + (int)(2 * i)] << 8 | data[pos + (int)(2 * i) + 1] : data[pos + (int)i];
            else
            {
                v = ReadNumber(data, ref pos);
                if (v > maxval) throw new DataFormatException($"PGM/PPM sample {v} is larger than maxval {maxval}; the file is corrupt");
            }
            v = Math.Min(v, maxval);
            pixels[i] = Scale(v, maxval, channels, options);
        }
        return image;
    }

    private static byte Scale(long v, long maxval, int channels, DecodeOptions options)
    {
        if (maxval == 255) return (byte)v;
        // PIL: round(value / maxval * out_max), Python rounding (halves to even).
        if (channels == 1 && maxval > 255)
        {
            long wide = (long)Math.Round((double)v / maxval * 65535, MidpointRounding.ToEven);
            return options.ClampSixteenBitGrayLikePil ? (byte)Math.Min(wide, 255) : (byte)(wide >> 8);
        }
        return (byte)Math.Round((double)v / maxval * 255, MidpointRounding.ToEven);
    }

    /// <summary>Reads one ASCII decimal, skipping whitespace and # comments.</summary>
    private static long ReadNumber(ReadOnlySpan<byte> data, ref int pos)
    {
        while (pos < data.Length)
        {
            byte b = data[pos];
            if (b == (byte)'#')
                while (pos < data.Length && data[pos] != (byte)'\n' && data[pos] != (byte)'\r') pos++;
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C) pos++;
            else break;
        }
        if (pos >= data.Length) throw BigEndian.Truncated("PGM/PPM");
        long value = 0;
        int digits = 0;
        while (pos < data.Length && data[pos] is >= (byte)'0' and <= (byte)'9')
        {
            value = value * 10 + (data[pos++] - '0');
            if (++digits > 9) throw new DataFormatException("PGM/PPM header holds an absurdly long number; the file is corrupt");
        }
        if (digits == 0) throw new DataFormatException($"PGM/PPM file has an unexpected byte 0x{data[pos]:X2} where a number should be; the file is corrupt");
        return value;
    }
}
