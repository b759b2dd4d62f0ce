using System.Buffers.Binary;
using System.IO.Compression;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Tests.Support;
using CnnLens.Training;

namespace CnnLens.Tests.Training;

/// <summary>Image folders (skipped files, one class, mixed sizes) and MNIST IDX files written by hand.</summary>
public class DataLoadingTests
{
    /// <summary>A gray PNG whose every pixel is <paramref name="value"/>.</summary>
    internal static void WritePng(string path, int width, int height, byte value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var pixels = new byte[width * height];
        Array.Fill(pixels, value);
        PngEncoder.Save(new Image(width, height, 1, pixels), path);
    }

    [Fact]
    public void Image_folder_reads_classes_in_name_order_and_lists_unreadable_files()
    {
        using var dir = new TempDirectory();
        WritePng(dir.File("dog/a.png"), 4, 3, 51);
        WritePng(dir.File("cat/b.png"), 4, 3, 255);
        WritePng(dir.File("cat/c.png"), 4, 3, 0);
        File.WriteAllBytes(dir.File("cat/broken.png"), [1, 2, 3, 4]);
        File.WriteAllText(dir.File("cat/notes.txt"), "not an image");

        var result = ImageFolderData.Load(dir.Path, new ImageFolderOptions { Grayscale = true });
        Assert.Equal(["cat", "dog"], result.Data.ClassNames);
        Assert.Equal([0, 0, 1], result.Data.Labels); // cat/b, cat/c, dog/a
        Assert.Equal([1, 3, 4], result.Data.Images.ShapeArray[1..]);
        Assert.Equal(1f, result.Data.Images.Data[0]);
        Assert.Equal(0.2f, result.Data.Images.Data[2 * 12], 1e-6f); // 51 / 255
        var skipped = Assert.Single(result.Skipped);
        Assert.EndsWith("broken.png", skipped.Path);
        Assert.NotEmpty(skipped.Reason);
    }

    [Fact]
    public void A_single_class_or_no_readable_image_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        WritePng(dir.File("only/a.png"), 4, 4, 9);
        var single = Assert.Throws<InvalidOptionException>(() => ImageFolderData.Load(dir.Path));
        Assert.Contains("at least two classes", single.Message);

        Directory.CreateDirectory(dir.File("empty"));
        File.WriteAllBytes(dir.File("empty/x.png"), [0]);
        var empty = Assert.Throws<DataFormatException>(() => ImageFolderData.Load(dir.Path));
        Assert.Contains("'empty'", empty.Message);
    }

    [Fact]
    public void Mixed_sizes_name_the_files_unless_a_common_size_is_given()
    {
        using var dir = new TempDirectory();
        WritePng(dir.File("a/one.png"), 8, 8, 100);
        WritePng(dir.File("b/two.png"), 6, 5, 100);
        var error = Assert.Throws<DataFormatException>(() => ImageFolderData.Load(dir.Path));
        Assert.Contains("two.png' is 6x5", error.Message);
        Assert.Contains("--size", error.Message);

        var resized = ImageFolderData.Load(dir.Path, new ImageFolderOptions { Size = 4 });
        Assert.Equal([2, 3, 4, 4], resized.Data.Images.ShapeArray);
        // A flat gray image stays flat through the resize; RGB by default repeats it in each channel.
        Assert.All(resized.Data.Images.Data, v => Assert.Equal(100f / 255f, v, 1e-6f));
    }

    private static byte[] Idx(int magic, int[] dims, byte[] values)
    {
        var bytes = new byte[4 + 4 * dims.Length + values.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        values.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    [Fact]
    public void Mnist_idx_files_plain_and_gzipped_give_pixels_over_255_and_labels()
    {
        using var dir = new TempDirectory();
        var pixels = new byte[] { 0, 255, 51, 102, 0, 0, 0, 255 }; // two 2x2 images
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), Idx(0x803, [2, 2, 2], pixels));
        using (var gz = new GZipStream(File.Create(dir.File("train-labels-idx1-ubyte.gz")), CompressionLevel.Fastest))
            gz.Write(Idx(0x801, [2], [7, 3]));

        var data = MnistData.Load(dir.Path);
        Assert.Equal([2, 1, 2, 2], data.Images.ShapeArray);
        Assert.Equal([7, 3], data.Labels);
        Assert.Equal(new[] { 0f, 1f, 0.2f, 0.4f }, data.Images.Data[..4]);
        Assert.Equal(10, data.ClassNames.Count);
        Assert.False(MnistData.Has(dir.Path, MnistSplit.Test));
        Assert.Throws<DataFormatException>(() => MnistData.Load(dir.Path, MnistSplit.Test));
    }

    [Fact]
    public void Mnist_files_with_a_wrong_magic_or_count_are_rejected()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("i"), Idx(0x801, [1, 1, 1], [0]));
        File.WriteAllBytes(dir.File("l"), Idx(0x801, [1], [0]));
        Assert.Throws<DataFormatException>(() => MnistData.Load(dir.File("i"), dir.File("l")));
        File.WriteAllBytes(dir.File("i"), Idx(0x803, [2, 1, 1], [0, 0]));
        Assert.Throws<DataFormatException>(() => MnistData.Load(dir.File("i"), dir.File("l")));
    }
}
