using CnnLens.Imaging;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using Xunit.Abstractions;

namespace CnnLens.Tests.Imaging;

/// <summary>Every fixture decodes to exactly the pixels PIL 9.4 (libjpeg-turbo) gives for it.</summary>
public class ImagingDecodeFixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string> PngFiles => ImageFixtures.DecodeFiles("png");
    public static TheoryData<string> JpegFiles => ImageFixtures.DecodeFiles("jpeg");
    public static TheoryData<string> BmpFiles => ImageFixtures.DecodeFiles("bmp");
    public static TheoryData<string> PnmFiles => ImageFixtures.DecodeFiles("pnm");

    [Theory, MemberData(nameof(PngFiles))]
    public void Png_MatchesPil(string file) => CheckAgainstPil(file);

    [Theory, MemberData(nameof(JpegFiles))]
    public void Jpeg_MatchesPil(string file) => CheckAgainstPil(file);

    [Theory, MemberData(nameof(BmpFiles))]
    public void Bmp_MatchesPil(string file) => CheckAgainstPil(file);

    [Theory, MemberData(nameof(PnmFiles))]
    public void Pnm_MatchesPil(string file) => CheckAgainstPil(file);

    private void CheckAgainstPil(string file)
    {
        var entry = ImageFixtures.Decode(file);
        var image = ImageDecoder.DecodeFile(ImageFixtures.PathOf(file), DecodeOptions.MatchPil);
        Assert.Equal(entry.GetProperty("width").GetInt32(), image.Width);
        Assert.Equal(entry.GetProperty("height").GetInt32(), image.Height);

        var rgb = ImageFixtures.Compare(ImageFixtures.Bytes(entry.GetProperty("rgb").GetString()!), PilColorConversion.ToRgb(image).Pixels);
        output.WriteLine($"{file}: {rgb.Count} of {image.Width * image.Height * 3} RGB samples differ (max {rgb.MaxDiff})");
        Assert.Equal((0, 0), rgb);

        if (entry.TryGetProperty("l", out var l))
            Assert.Equal((0, 0), ImageFixtures.Compare(ImageFixtures.Bytes(l.GetString()!), PilColorConversion.ToGray(image).Pixels));
        if (entry.TryGetProperty("rgba", out var rgba))
        {
            Assert.True(image.Channels is 2 or 4, $"{file} has transparency, so the decoder must give an alpha channel");
            Assert.Equal((0, 0), ImageFixtures.Compare(ImageFixtures.Bytes(rgba.GetString()!), ImageFixtures.ToRgba(image)));
        }
    }
}
