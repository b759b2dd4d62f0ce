using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Codecs.Jpeg;

namespace CnnLens.Tests.Imaging;

/// <summary>EXIF orientation: ignored like PIL's Image.open with MatchPil, applied like ImageOps.exif_transpose by default.</summary>
public class ImagingExifOrientationTests
{
    public static TheoryData<int> Orientations => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    [Theory, MemberData(nameof(Orientations))]
    public void Orientation_IgnoredForPilMatch_AppliedForDisplay(int orientation)
    {
        var entry = ImageFixtures.Entries("exif").Single(e => e.GetProperty("orientation").GetInt32() == orientation);
        byte[] data = ImageFixtures.Bytes(entry.GetProperty("file").GetString()!);

        var raw = JpegDecoder.Decode(data, DecodeOptions.MatchPil);
        Assert.Equal(entry.GetProperty("width").GetInt32(), raw.Width);
        Assert.Equal(ImageFixtures.Bytes(entry.GetProperty("rgb").GetString()!), raw.Pixels);

        var turned = ImageDecoder.Decode(data);
        Assert.Equal(entry.GetProperty("transposed_width").GetInt32(), turned.Width);
        Assert.Equal(entry.GetProperty("transposed_height").GetInt32(), turned.Height);
        Assert.Equal(ImageFixtures.Bytes(entry.GetProperty("transposed").GetString()!), turned.Pixels);
    }

    [Fact]
    public void Apply_Rotate90Clockwise_HandDerived()
    {
        // 3x2 gray image  a b c / d e f  rotated 90° clockwise is  d a / e b / f c.
        var image = new CnnLens.Imaging.Image(3, 2, 1, [1, 2, 3, 4, 5, 6]);
        var turned = ExifOrientation.Apply(image, 6);
        Assert.Equal((2, 3), (turned.Width, turned.Height));
        Assert.Equal(new byte[] { 4, 1, 5, 2, 6, 3 }, turned.Pixels);
    }
}
