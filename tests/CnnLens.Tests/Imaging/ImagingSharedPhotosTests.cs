using System.Security.Cryptography;
using System.Text.Json;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using Xunit.Abstractions;

namespace CnnLens.Tests.Imaging;

/// <summary>
/// The real photos in ../shared/images (not part of the repository): decoded pixels and the
/// ImageNet tensor must hash to what PIL + torchvision gave. When the folder is absent these pass
/// without checking anything (and say so in the output).
/// </summary>
public class ImagingSharedPhotosTests(ITestOutputHelper output)
{
    public static TheoryData<string> Photos
    {
        get
        {
            var data = new TheoryData<string>();
            using var doc = JsonDocument.Parse(File.ReadAllText(ImageFixtures.PathOf("shared_photos_pil.json")));
            foreach (var p in doc.RootElement.GetProperty("photos").EnumerateObject()) data.Add(p.Name);
            return data;
        }
    }

    [Theory, MemberData(nameof(Photos))]
    public void SharedPhotos_DecodeAndPreprocessLikePilAndTorchvision(string name)
    {
        string? folder = ImageFixtures.SharedImages();
        string? path = folder is null ? null : Path.Combine(folder, name);
        if (path is null || !File.Exists(path))
        {
            output.WriteLine($"shared photo {name} not found; nothing checked");
            return;
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(ImageFixtures.PathOf("shared_photos_pil.json")));
        var expected = doc.RootElement.GetProperty("photos").GetProperty(name);
        byte[] data = File.ReadAllBytes(path);
        if (Convert.ToHexStringLower(SHA256.HashData(data)) != expected.GetProperty("file_sha256").GetString())
        {
            output.WriteLine($"shared photo {name} differs from the one the fixtures were made from; nothing checked");
            return;
        }
        var image = ImageDecoder.Decode(data, DecodeOptions.MatchPil);
        Assert.Equal(expected.GetProperty("width").GetInt32(), image.Width);
        Assert.Equal(expected.GetProperty("height").GetInt32(), image.Height);
        var rgb = PilColorConversion.ToRgb(image);
        Assert.Equal(expected.GetProperty("rgb_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(rgb.Pixels)));
        var tensor = ImagePreprocessor.ToTensor(image, PreprocessingOptions.Imagenet);
        Assert.Equal(expected.GetProperty("imagenet_tensor_sha256").GetString(), ImagingPreprocessingTests.Sha256(tensor));
    }
}
