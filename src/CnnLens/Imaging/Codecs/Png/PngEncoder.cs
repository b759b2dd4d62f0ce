using System.Buffers.Binary;
using System.IO.Compression;

namespace CnnLens.Imaging.Codecs.Png;

/// <summary>
/// Encodes an 8-bit <see cref="Image"/> (gray, gray+alpha, RGB, RGBA) as PNG. Each row gets the
/// filter whose output has the smallest sum of absolute signed bytes (the usual libpng heuristic),
/// then everything goes through one zlib stream in a single IDAT chunk.
/// </summary>
public static class PngEncoder
{
    public static byte[] Encode(Image image, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var stream = new MemoryStream();
        Write(image, stream, level);
        return stream.ToArray();
    }

    /// <summary>
    /// Writes the PNG to <paramref name="path"/> atomically: a temporary file next to it is renamed
    /// over the target, so a failure never leaves a partial file behind.
    /// </summary>
    public static void Save(Image image, string path, CompressionLevel level = CompressionLevel.Optimal) =>
        AtomicFile.Write(path, "PNG", stream => Write(image, stream, level));


    public static void Write(Image image, Stream output, CompressionLevel level = CompressionLevel.Optimal)
    {
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)image.Width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)image.Height);
        ihdr[8] = 8;
        ihdr[9] = image.Channels switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 };
        WriteChunk(output, "IHDR"u8, ihdr);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            int stride = image.Stride, bpp = image.Channels;
            var previous = new byte[stride];
            var candidate = new byte[stride + 1];
            var best = new byte[stride + 1];
            for (int y = 0; y < image.Height; y++)
            {
                var row = image.Pixels.AsSpan(y * stride, stride);
                long bestScore = long.MaxValue;
                for (int filter = PngFilter.None; filter <= PngFilter.Paeth; filter++)
                {
                    candidate[0] = (byte)filter;
                    PngFilter.Filter(filter, row, previous, bpp, candidate.AsSpan(1));
                    long score = 0;
                    for (int i = 1; i <= stride; i++) score += Math.Abs((int)(sbyte)candidate[i]);
                    if (score < bestScore)
                    {
                        bestScore = score;
                        (best, candidate) = (candidate, best);
                    }
                }
                zlib.Write(best);
                row.CopyTo(previous);
            }
        }
        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)body.Length);
        output.Write(word);
        output.Write(type);
        output.Write(body);
        uint crc = Crc32.Update(Crc32.Compute(type), body);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
