using System.Security.Cryptography;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Tensors;
using Xunit.Abstractions;

namespace CnnLens.Tests.Imaging;

/// <summary>Resize, crop, ToTensor and Normalize against PIL 9.4 / torchvision 0.14 outputs, and hand-derived size rules.</summary>
public class ImagingPreprocessingTests(ITestOutputHelper output)
{
    public static TheoryData<int> ResizeCases
    {
        get
        {
            var data = new TheoryData<int>();
            for (int i = 0; i < ImageFixtures.Entries("resize").Count(); i++) data.Add(i);
            return data;
        }
    }

    [Theory, MemberData(nameof(ResizeCases))]
    public void PilBilinearResize_MatchesPillowBitExactly(int index)
    {
        var e = ImageFixtures.Entries("resize").ElementAt(index);
        int channels = e.GetProperty("channels").GetInt32();
        var source = new Image(e.GetProperty("width").GetInt32(), e.GetProperty("height").GetInt32(), channels,
            ImageFixtures.Bytes(e.GetProperty("source").GetString()!));
        int w = e.GetProperty("target_width").GetInt32(), h = e.GetProperty("target_height").GetInt32();
        var resized = PilBilinearResize.Resize(source, w, h);
        Assert.Equal((w, h), (resized.Width, resized.Height));
        Assert.Equal((0, 0), ImageFixtures.Compare(ImageFixtures.Bytes(e.GetProperty("expected").GetString()!), resized.Pixels));
    }

    public static TheoryData<string> TensorCases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var e in ImageFixtures.Entries("tensors")) data.Add(e.GetProperty("name").GetString()!);
            return data;
        }
    }

    [Theory, MemberData(nameof(TensorCases))]
    public void ToTensor_EqualsTorchvisionPipelineExactly(string name)
    {
        var e = ImageFixtures.Entries("tensors").Single(x => x.GetProperty("name").GetString() == name);
        var o = e.GetProperty("options");
        var options = new PreprocessingOptions
        {
            Grayscale = o.TryGetProperty("grayscale", out var g) && g.GetBoolean(),
            ResizeShorterSide = o.GetProperty("resize").GetInt32(),
            Crop = o.GetProperty("crop").GetInt32(),
            Mean = o.GetProperty("mean").EnumerateArray().Select(x => (float)x.GetDouble()).ToArray(),
            Std = o.GetProperty("std").EnumerateArray().Select(x => (float)x.GetDouble()).ToArray(),
        };
        var tensor = ImagePreprocessor.LoadTensor(ImageFixtures.PathOf(e.GetProperty("source").GetString()!), options);
        Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray(), tensor.ShapeArray);
        if (e.TryGetProperty("expected", out var expectedFile))
        {
            var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(ImageFixtures.Bytes(expectedFile.GetString()!));
            int mismatches = 0;
            for (int i = 0; i < expected.Length; i++) if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(tensor.Data[i])) mismatches++;
            output.WriteLine($"{name}: {mismatches} of {expected.Length} values differ from torchvision");
            Assert.Equal(0, mismatches);
        }
        Assert.Equal(e.GetProperty("sha256").GetString(), Sha256(tensor));
    }

    internal static string Sha256(Tensor tensor) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.Data.AsSpan())));

    [Theory]
    [InlineData(1546, 1213, 256, 326, 256)]   // int(256 * 1546 / 1213) = int(326.27)
    [InlineData(534, 848, 256, 256, 406)]     // portrait: int(256 * 848 / 534) = int(406.53)
    [InlineData(300, 300, 256, 256, 256)]
    [InlineData(1280, 853, 256, 384, 256)]    // int(384.15)
    public void ShorterSideSize_FollowsTorchvisionTruncation(int w, int h, int size, int expectedW, int expectedH) =>
        Assert.Equal((expectedW, expectedH), TorchvisionGeometry.ShorterSideSize(w, h, size));

    [Fact]
    public void CenterCrop_RoundsHalfOffsetsToEven()
    {
        // (9 - 4) / 2 = 2.5 rounds to 2, (7 - 2) / 2 = 2.5 rounds to 2, like Python's round().
        var image = new Image(9, 7, 1, Enumerable.Range(0, 63).Select(i => (byte)i).ToArray());
        var crop = TorchvisionGeometry.CenterCrop(image, 4, 2);
        Assert.Equal(new byte[] { 20, 21, 22, 23, 29, 30, 31, 32 }, crop.Pixels);
        // (8 - 5) / 2 = 1.5 rounds to 2.
        var image8 = new Image(8, 1, 1, [0, 1, 2, 3, 4, 5, 6, 7]);
        Assert.Equal(new byte[] { 2, 3, 4, 5, 6 }, TorchvisionGeometry.CenterCrop(image8, 5, 1).Pixels);
    }

    [Fact]
    public void PilLuma_HandDerived()
    {
        // (R*19595 + G*38470 + B*7471 + 32768) >> 16
        Assert.Equal(76, PilColorConversion.Luma(255, 0, 0));    // 4997993 >> 16 = 76
        Assert.Equal(150, PilColorConversion.Luma(0, 255, 0));   // 9842618 >> 16 = 150
        Assert.Equal(29, PilColorConversion.Luma(0, 0, 255));    // 1937873 >> 16 = 29
        Assert.Equal(255, PilColorConversion.Luma(255, 255, 255));
    }

    [Fact]
    public void Options_BgrScaleAndSingleMean_HandDerived()
    {
        var image = new Image(1, 1, 3, [10, 20, 255]);
        var t = ImagePreprocessor.ToTensor(image, new PreprocessingOptions { Bgr = true, Scale = 255f, Mean = [5f], Std = [2f] });
        Assert.Equal(new[] { 1, 3, 1, 1 }, t.ShapeArray);
        Assert.Equal(new[] { (255f - 5f) / 2f, (20f - 5f) / 2f, (10f - 5f) / 2f }, t.Data);
        var unit = ImagePreprocessor.ToTensor(image, new PreprocessingOptions());
        Assert.Equal(new[] { 10f / 255f, 20f / 255f, 1f }, unit.Data);
    }

    [Fact]
    public void Presets_DescribeThemselves()
    {
        string imagenet = PreprocessingOptions.Imagenet.Describe();
        Assert.Contains("256", imagenet);
        Assert.Contains("224x224", imagenet);
        Assert.Contains("0.485", imagenet);
        Assert.Contains("no EXIF rotation", imagenet);
        Assert.Contains("grayscale", PreprocessingOptions.Mnist.Describe());
        Assert.Throws<InvalidOptionException>(() => new PreprocessingOptions { Mean = [1f, 2f] }.Validate());
        Assert.Throws<InvalidOptionException>(() => new PreprocessingOptions { Std = [0f] }.Validate());
    }

    [Fact]
    public void Mnist_PresetGivesOneChannel28x28()
    {
        var image = ImageDecoder.DecodeFile(ImageFixtures.PathOf("png/rgb8.png"));
        var t = ImagePreprocessor.ToTensor(image, PreprocessingOptions.Mnist);
        Assert.Equal(new[] { 1, 1, 28, 28 }, t.ShapeArray);
    }
}
