using CnnLens.Imaging;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Codecs.Png;

namespace CnnLens.Tests.Imaging;

/// <summary>PNG encoding: lossless round trips for every channel count, valid chunk structure, atomic saves.</summary>
public class ImagingPngEncoderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Encode_ThenDecode_GivesTheSamePixels(int channels)
    {
        var rng = new Random(channels);
        var image = new Image(37, 23, channels);
        for (int i = 0; i < image.Pixels.Length; i++) image.Pixels[i] = (byte)(i % 7 == 0 ? rng.Next(256) : (i / channels) % 251);
        var decoded = PngDecoder.Decode(PngEncoder.Encode(image));
        Assert.Equal((image.Width, image.Height, channels), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Encode_WritesSignatureIhdrAndIend()
    {
        byte[] png = PngEncoder.Encode(new Image(2, 1, 3, [1, 2, 3, 4, 5, 6]));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(new byte[] { 0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0 }, png[16..29]); // 2x1, 8-bit, RGB
        Assert.Equal("IEND"u8.ToArray(), png[^8..^4]);
        Assert.Equal(new byte[] { 0xAE, 0x42, 0x60, 0x82 }, png[^4..]); // the CRC of "IEND" is well known
    }

    [Fact]
    public void Save_ReplacesTheFileAndLeavesNoTemporaryFile()
    {
        string dir = Directory.CreateTempSubdirectory("cnnlens-png-").FullName;
        try
        {
            string path = Path.Combine(dir, "out.png");
            File.WriteAllText(path, "old content");
            var image = new Image(3, 2, 1, [0, 50, 100, 150, 200, 250]);
            PngEncoder.Save(image, path);
            Assert.Equal(image.Pixels, ImageDecoder.DecodeFile(path).Pixels);
            Assert.Single(Directory.GetFiles(dir));
            Assert.Throws<DataFormatException>(() => PngEncoder.Save(image, Path.Combine(dir, "missing", "x.png")));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
