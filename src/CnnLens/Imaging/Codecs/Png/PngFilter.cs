namespace CnnLens.Imaging.Codecs.Png;

/// <summary>The five PNG row filters (forward for the encoder, inverse for the decoder).</summary>
internal static class PngFilter
{
    public const int None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

    public static byte PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return (byte)a;
        return pb <= pc ? (byte)b : (byte)c;
    }

    /// <summary>Undoes <paramref name="filter"/> in place; <paramref name="previous"/> is the previous unfiltered row (zeros for the first).</summary>
    public static void Unfilter(int filter, Span<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel)
    {
        int n = row.Length;
        switch (filter)
        {
            case None:
                break;
            case Sub:
                for (int i = bytesPerPixel; i < n; i++) row[i] += row[i - bytesPerPixel];
                break;
            case Up:
                for (int i = 0; i < n; i++) row[i] += previous[i];
                break;
            case Average:
                for (int i = 0; i < bytesPerPixel; i++) row[i] += (byte)(previous[i] >> 1);
                for (int i = bytesPerPixel; i < n; i++) row[i] += (byte)((row[i - bytesPerPixel] + previous[i]) >> 1);
                break;
            case Paeth:
                for (int i = 0; i < bytesPerPixel; i++) row[i] += previous[i];
                for (int i = bytesPerPixel; i < n; i++)
                    row[i] += PaethPredictor(row[i - bytesPerPixel], previous[i], previous[i - bytesPerPixel]);
                break;
            default:
                throw new DataFormatException($"PNG row uses filter type {filter}, which does not exist (0-4); the file is corrupt");
        }
    }

    /// <summary>Writes <paramref name="row"/> filtered with <paramref name="filter"/> into <paramref name="output"/>.</summary>
    public static void Filter(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> output)
    {
        int n = row.Length;
        for (int i = 0; i < n; i++)
        {
            int a = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
            int b = previous[i];
            int c = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
            int predicted = filter switch
            {
                Sub => a,
                Up => b,
                Average => (a + b) >> 1,
                Paeth => PaethPredictor(a, b, c),
                _ => 0,
            };
            output[i] = (byte)(row[i] - predicted);
        }
    }
}
