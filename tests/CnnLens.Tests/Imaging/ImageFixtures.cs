using System.Text.Json;
using CnnLens.Imaging;

namespace CnnLens.Tests.Imaging;

/// <summary>Locates the PIL-generated fixtures (tools/make_image_fixtures.py).</summary>
internal static class ImageFixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "images");

    private static readonly Lazy<JsonDocument> ManifestDocument =
        new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "manifest.json"))));

    public static JsonElement Manifest => ManifestDocument.Value.RootElement;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static IEnumerable<JsonElement> Entries(string section) => Manifest.GetProperty(section).EnumerateArray();

    public static JsonElement Decode(string file) => Entries("decode").Single(e => e.GetProperty("file").GetString() == file);

    public static TheoryData<string> DecodeFiles(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var e in Entries("decode"))
            if (e.GetProperty("kind").GetString() == kind) data.Add(e.GetProperty("file").GetString()!);
        return data;
    }

    /// <summary>Number of differing samples, and the largest difference.</summary>
    public static (int Count, int MaxDiff) Compare(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int count = 0, max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            if (d != 0) count++;
            max = Math.Max(max, d);
        }
        return (count, max);
    }

    /// <summary>Gray, gray+alpha, RGB or RGBA expanded to RGBA (as PIL's convert("RGBA") lays it out).</summary>
    public static byte[] ToRgba(Image image)
    {
        var result = new byte[image.Width * image.Height * 4];
        for (int i = 0; i < image.Width * image.Height; i++)
        {
            var p = image.Pixels.AsSpan(i * image.Channels, image.Channels);
            (byte r, byte g, byte b, byte a) = image.Channels switch
            {
                1 => (p[0], p[0], p[0], (byte)255),
                2 => (p[0], p[0], p[0], p[1]),
                3 => (p[0], p[1], p[2], (byte)255),
                _ => (p[0], p[1], p[2], p[3]),
            };
            result[i * 4] = r;
            result[i * 4 + 1] = g;
            result[i * 4 + 2] = b;
            result[i * 4 + 3] = a;
        }
        return result;
    }
}
