using System.Diagnostics;
using CnnLens.Imaging.Codecs;
using Xunit.Abstractions;

namespace CnnLens.Tests.Imaging;

/// <summary>
/// Corrupt input: thousands of mutated fixtures (bit flips, truncations, insertions, overwritten
/// bytes) may fail only with <see cref="DataFormatException"/>, never another exception or a hang.
/// </summary>
public class ImagingCorruptDataTests(ITestOutputHelper output)
{
    private static readonly string[] Seeds =
    [
        "png/rgb8.png", "png/palette4_trns_adam7.png", "png/gray2.png", "png/rgba16_adam7.png",
        "jpeg/baseline_420_33x17.jpg", "jpeg/progressive_420_33x17.jpg", "jpeg/progressive_422_47x29.jpg",
        "jpeg/own_restart2_420.jpg", "jpeg/gray_progressive_16x12.jpg", "jpeg/exif_orientation6.jpg",
        "other/rgb24.bmp", "other/rgb16.ppm", "other/gray_ascii.pgm",
    ];

    [Fact]
    public void MutatedFiles_OnlyEverThrowDataFormatException()
    {
        var rng = new Random(20261122);
        var watch = Stopwatch.StartNew();
        int attempts = 0, rejected = 0;
        foreach (string seed in Seeds)
        {
            byte[] original = ImageFixtures.Bytes(seed);
            for (int i = 0; i < 1000; i++)
            {
                byte[] mutated = Mutate(original, rng);
                attempts++;
                try
                {
                    var image = ImageDecoder.Decode(mutated);
                    Assert.True(image.Width > 0 && image.Height > 0);
                }
                catch (DataFormatException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "cnnlens-fuzz-failure.bin"), mutated);
                    Assert.Fail($"{seed} mutation {i} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
            }
        }
        output.WriteLine($"{attempts} mutated files, {rejected} rejected with DataFormatException, {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"fuzzing took {watch.Elapsed}");
    }

    private static byte[] Mutate(byte[] data, Random rng)
    {
        var bytes = new List<byte>(data);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && bytes.Count > 1; e++)
        {
            switch (rng.Next(5))
            {
                case 0:
                    int bit = rng.Next(bytes.Count * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                    break;
                case 1:
                    int keep = 1 + rng.Next(bytes.Count - 1);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                case 2:
                    bytes.Insert(rng.Next(bytes.Count), (byte)rng.Next(256));
                    break;
                case 3:
                    bytes[rng.Next(bytes.Count)] = (byte)(rng.Next(2) == 0 ? 0xFF : rng.Next(256));
                    break;
                default:
                    bytes.RemoveAt(rng.Next(bytes.Count));
                    break;
            }
        }
        return bytes.ToArray();
    }

    [Fact]
    public void UnknownFormat_NamesTheFileAndTheSupportedFormats()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cnnlens-not-an-image-{Guid.NewGuid():N}.gif");
        File.WriteAllBytes(path, "GIF89a........"u8.ToArray());
        try
        {
            var e = Assert.Throws<DataFormatException>(() => ImageDecoder.DecodeFile(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("PNG", e.Message);
            Assert.Contains("JPEG", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0xC3, "lossless")]
    [InlineData(0xC9, "arithmetic")]
    public void UnsupportedJpegKinds_AreRejectedClearly(byte sof, string word)
    {
        byte[] data = ImageFixtures.Bytes("jpeg/baseline_444_16x12.jpg");
        int at = FindMarker(data, 0xC0);
        data[at + 1] = sof;
        var e = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(data));
        Assert.Contains(word, e.Message);
    }

    [Fact]
    public void TruncatedJpeg_IsRejected()
    {
        byte[] data = ImageFixtures.Bytes("jpeg/baseline_420_q100_70x45.jpg");
        var e = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(data[..(data.Length * 2 / 3)]));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void PngWithBadCrc_IsRejected()
    {
        byte[] data = ImageFixtures.Bytes("png/rgb8.png");
        data[20] ^= 1; // inside IHDR
        var e = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(data));
        Assert.Contains("CRC", e.Message);
    }

    [Fact]
    public void HugeDeclaredSize_IsRejectedBeforeAllocating()
    {
        byte[] data = ImageFixtures.Bytes("png/rgb8.png");
        var options = new DecodeOptions { MaxPixels = 100 };
        var e = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(data, options));
        Assert.Contains("pixel limit", e.Message);
    }

    private static int FindMarker(byte[] data, byte marker)
    {
        for (int i = 0; i + 1 < data.Length; i++) if (data[i] == 0xFF && data[i + 1] == marker) return i;
        throw new InvalidOperationException("marker not found");
    }
}
