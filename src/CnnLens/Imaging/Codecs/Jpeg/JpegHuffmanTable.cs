namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>
/// A Huffman table from a DHT segment: a 9-bit lookup for short codes and the canonical
/// max-code walk (ITU T.81 F.2.2.3) for longer ones.
/// </summary>
internal sealed class JpegHuffmanTable
{
    public const int LookupBits = 9;

    /// <summary>For each 9-bit prefix: code length &lt;&lt; 8 | symbol, or 0 when the code is longer.</summary>
    public readonly ushort[] Lookup = new ushort[1 << LookupBits];

    /// <summary>Largest code of each length (1-16), -1 when none; index 17 is a sentinel.</summary>
    public readonly int[] MaxCode = new int[18];

    /// <summary>Index into <see cref="Symbols"/> of the first code of each length, minus that code.</summary>
    public readonly int[] ValueOffset = new int[17];

    public readonly byte[] Symbols;

    public JpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols)
    {
        Symbols = symbols.ToArray();
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            ValueOffset[length] = k - code;
            if (code + n > 1 << length) throw new DataFormatException("JPEG Huffman table has more codes than fit; the file is corrupt");
            if (n > 0)
            {
                for (int i = 0; i < n; i++, k++, code++)
                {
                    if (length <= LookupBits)
                    {
                        int shift = LookupBits - length;
                        int first = code << shift;
                        for (int j = 0; j < 1 << shift; j++) Lookup[first + j] = (ushort)(length << 8 | Symbols[k]);
                    }
                }
                MaxCode[length] = code - 1;
            }
            else MaxCode[length] = -1;
            code <<= 1;
        }
        MaxCode[17] = int.MaxValue;
    }
}
