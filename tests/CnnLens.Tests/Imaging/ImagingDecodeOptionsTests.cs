using CnnLens.Imaging.Codecs;

namespace CnnLens.Tests.Imaging;

/// <summary>Decode options and the unsupported-variant messages.</summary>
public class ImagingDecodeOptionsTests
{
    [Fact]
    public void Png16BitGray_HighByteOption_KeepsTheHighByte()
    {
        var entry = ImageFixtures.Decode("png/gray16.png");
        var options = new DecodeOptions { ClampSixteenBitGrayLikePil = false };
        var image = ImageDecoder.DecodeFile(ImageFixtures.PathOf("png/gray16.png"), options);
        Assert.Equal(ImageFixtures.Bytes(entry.GetProperty("high_byte").GetString()!), image.Pixels);
    }

    [Theory]
    [InlineData(12, "12-bit")]
    public void Jpeg12Bit_IsRejected(byte precision, string word)
    {
        byte[] data = ImageFixtures.Bytes("jpeg/baseline_444_16x12.jpg");
        int sof = FindMarker(data, 0xC0);
        data[sof + 4] = precision;
        var e = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(data));
        Assert.Contains(word, e.Message);
    }

    [Fact]
    public void JpegWithFourComponents_IsRejectedAsCmyk()
    {
        byte[] data = ImageFixtures.Bytes("jpeg/baseline_444_16x12.jpg");
        int sof = FindMarker(data, 0xC0);
        data[sof + 9] = 4; // component count
        var e = Assert.Throws<DataFormatException>(() => ImageDecoder.Decode(data));
        Assert.Contains("CMYK", e.Message);
    }

    [Fact]
    public void Jpeg_GrayscaleGivesOneChannel_ColourGivesRgb()
    {
        Assert.Equal(1, ImageDecoder.DecodeFile(ImageFixtures.PathOf("jpeg/gray_16x12.jpg")).Channels);
        Assert.Equal(3, ImageDecoder.DecodeFile(ImageFixtures.PathOf("jpeg/baseline_420_16x12.jpg")).Channels);
    }

    private static int FindMarker(byte[] data, byte marker)
    {
        for (int i = 0; i + 1 < data.Length; i++) if (data[i] == 0xFF && data[i + 1] == marker) return i;
        throw new InvalidOperationException("marker not found");
    }
}
