using System.Security.Cryptography;
using System.Text.Json;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Tests.Support;

namespace CnnLens.SharedData.Tests.Imaging;

/// <summary>
/// Needs ../shared: each photo decodes to exactly PIL's RGB pixels and preprocesses to exactly
/// torchvision's ImageNet tensor. tools/make_image_fixtures.py recorded the SHA-256 of both (never
/// the pixels) in shared_photos_pil.json, with the photo file's own hash to catch a changed photo.
/// </summary>
public class SharedPhotoDecodeTests
{
    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Fixture("images", "shared_photos_pil.json"))).RootElement.GetProperty("photos"));

    public static TheoryData<string> Photos()
    {
        var data = new TheoryData<string>();
        foreach (var p in Expected.Value.EnumerateObject()) data.Add(p.Name);
        return data;
    }

    [Theory, MemberData(nameof(Photos))]
    public void Photo_decodes_and_preprocesses_exactly_like_PIL_and_torchvision(string name)
    {
        var expected = Expected.Value.GetProperty(name);
        byte[] data = File.ReadAllBytes(RepositoryPaths.Shared("images", name));
        Assert.Equal(expected.GetProperty("file_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(data)));
        var image = ImageDecoder.Decode(data, DecodeOptions.MatchPil);
        Assert.Equal(expected.GetProperty("width").GetInt32(), image.Width);
        Assert.Equal(expected.GetProperty("height").GetInt32(), image.Height);
        var rgb = PilColorConversion.ToRgb(image);
        Assert.Equal(expected.GetProperty("rgb_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(rgb.Pixels)));
        var tensor = ImagePreprocessor.ToTensor(image, PreprocessingOptions.Imagenet);
        Assert.Equal(expected.GetProperty("imagenet_tensor_sha256").GetString(),
            Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.Data.AsSpan()))));
    }
}
