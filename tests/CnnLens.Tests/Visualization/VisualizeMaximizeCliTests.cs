using CnnLens.Imaging;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Onnx;
using CnnLens.Reports;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Visualization;

/// <summary><c>visualize maximize</c> and <c>visualize deep-dream</c> run in-process.</summary>
public class VisualizeMaximizeCliTests
{
    private static CliRunner.Result Run(params string[] args) => CliRunner.Run(["visualize", .. args]);

    private static string SaveModel(TempDirectory dir)
    {
        string path = dir.File("stripes.onnx");
        OnnxModelWriter.Save(StripeDetectorModel.Build(), path);
        return path;
    }


    [Fact]
    public void Maximize_writes_a_png_row_and_the_images_as_npy()
    {
        using var dir = new TempDirectory();
        var result = Run("maximize", "--model", SaveModel(dir), "--layer", "features", "--channel", "0", "--steps", "2", "--batch", "2",
            "--diversity", "0.5", "--png", dir.File("out.png"), "--npy", dir.File("out.npy"), "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Output);
        var png = ImageDecoder.DecodeFile(dir.File("out.png"));
        Assert.Equal((2 * 32 + 2, 32), (png.Width, png.Height));
        var npy = NpyFile.Read(dir.File("out.npy"));
        Assert.Equal([2, 3, 32, 32], npy.ShapeArray);
        Assert.All(npy.Data, v => Assert.InRange(v, 0f, 1f));
        // The PNG holds the same pixels: image 0, channel 0 at (0, 0).
        Assert.Equal((byte)Math.Round(npy.Data[0] * 255), png[0, 0, 0]);
    }

    [Fact]
    public void Maximize_with_a_misspelt_layer_lists_the_nearest_names_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        var result = Run("maximize", "--model", SaveModel(dir), "--layer", "featurs", "--channel", "0", "--png", dir.File("out.png"));
        CliRunner.AssertUserError(result, "featurs", "nearest names: features");
        Assert.False(File.Exists(dir.File("out.png")));
    }

    [Fact]
    public void Maximize_with_a_channel_out_of_range_says_how_many_there_are()
    {
        using var dir = new TempDirectory();
        var result = Run("maximize", "--model", SaveModel(dir), "--layer", "features", "--channel", "5", "--png", dir.File("out.png"));
        CliRunner.AssertUserError(result, "channel 5", "0..1");
        Assert.False(File.Exists(dir.File("out.png")));
    }

    [Theory]
    [InlineData("--layer", "features")]
    [InlineData("--channel", "0")]
    [InlineData("--layer", "features", "--channel", "0", "--diversity", "1")]
    [InlineData("--layer", "features", "--channel", "0", "--neuron", "3")]
    [InlineData("--layer", "features", "--channel", "0", "--size", "64")]
    [InlineData("--class", "0", "--steps", "0")]
    public void Maximize_option_errors_exit_2(params string[] options)
    {
        using var dir = new TempDirectory();
        var result = Run(["maximize", "--model", SaveModel(dir), "--png", dir.File("out.png"), .. options]);
        CliRunner.AssertUserError(result);
        Assert.False(File.Exists(dir.File("out.png")));
    }

    [Fact]
    public void Deep_dream_writes_the_dreamed_photo()
    {
        using var dir = new TempDirectory();
        var photo = new Image(40, 30, 3);
        for (int i = 0; i < photo.Pixels.Length; i++) photo.Pixels[i] = (byte)(i * 7 % 256);
        PngEncoder.Save(photo, dir.File("photo.png"));
        var result = Run("deep-dream", "--model", SaveModel(dir), "--image", dir.File("photo.png"), "--layer", "features",
            "--steps", "2", "--octaves", "2", "--png", dir.File("dream.png"), "--npy", dir.File("dream.npy"));
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("deep-dream: L2 norm of features", result.Output);
        Assert.Equal([3, 32, 32], NpyFile.Read(dir.File("dream.npy")).ShapeArray); // the model takes 32x32 only
        Assert.True(File.Exists(dir.File("dream.png")));
    }

    [Fact]
    public void Deep_dream_with_a_missing_image_exits_2()
    {
        using var dir = new TempDirectory();
        CliRunner.AssertUserError(Run("deep-dream", "--model", SaveModel(dir), "--image", dir.File("nope.png"), "--layer", "features", "--png", dir.File("d.png")), "nope.png");
    }
}
