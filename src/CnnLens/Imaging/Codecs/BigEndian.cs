using System.Buffers.Binary;

namespace CnnLens.Imaging.Codecs;

/// <summary>Bounds-checked big-endian reads that fail with <see cref="DataFormatException"/> instead of indexing past the data.</summary>
internal static class BigEndian
{
    public static int UInt16(ReadOnlySpan<byte> data, int offset, string format) =>
        offset >= 0 && offset + 2 <= data.Length
            ? BinaryPrimitives.ReadUInt16BigEndian(data[offset..])
            : throw Truncated(format);

    public static uint UInt32(ReadOnlySpan<byte> data, int offset, string format) =>
        offset >= 0 && offset + 4 <= data.Length
            ? BinaryPrimitives.ReadUInt32BigEndian(data[offset..])
            : throw Truncated(format);

    public static DataFormatException Truncated(string format) =>
        new($"{format} file is truncated; re-export or re-download it");
}
