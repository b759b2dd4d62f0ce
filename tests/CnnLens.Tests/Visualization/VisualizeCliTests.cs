using CnnLens.Imaging.Codecs;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Visualization;

/// <summary><c>cnnlens visualize filters|activations|top-patches</c>: outputs and the one-line errors (exit 2, nothing written).</summary>
public class VisualizeCliTests
{
    private static readonly string LeNet = RepositoryPaths.Fixture("engine", "lenet.onnx");
    private static readonly string LeNetInput = RepositoryPaths.Fixture("engine", "lenet_input_b1.npy");


    [Fact]
    public void Filters_writes_the_grid_png_and_a_report()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("visualize", "filters", "--model", LeNet, "--png", dir.File("f.png"), "--report", dir.File("f.html"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("6 of 6 filters of /conv1/Conv", result.Output);
        // LeNet conv1 [6,1,5,5]: 6 tiles, 3 columns (ceil sqrt 6), cells 30 px (6 px per weight), padding 9.
        var png = ImageDecoder.DecodeFile(dir.File("f.png"));
        Assert.Equal((9 + 3 * 39, 9 + 2 * 39), (png.Width, png.Height));
        var model = EngineFixtures.Load("lenet");
        var w = model.Onnx.Graph.Initializers["conv1.weight"];
        double m = w.Data.Max(Math.Abs);
        // Filter 4 (row 1, column 1), weight (2, 3): centre of its 6x6 block.
        byte expected = (byte)Math.Round(255 * (0.5 + 0.5 * w[4, 0, 2, 3] / m), MidpointRounding.AwayFromZero);
        Assert.Equal(expected, png[9 + 39 + 3 * 6 + 3, 9 + 39 + 2 * 6 + 3, 0]);
        Assert.Contains("L2 norm per filter", File.ReadAllText(dir.File("f.html")));
    }

    [Fact]
    public void Activations_draws_the_top_channels_of_each_layer()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("visualize", "activations", "--model", LeNet, "--input", LeNetInput, "--layer", "/Relu_output_0", "/MaxPool_1_output_0",
            "--top", "4", "--png", dir.File("a.png"), "--overlay", dir.File("o.png"), "--report", dir.File("a.html"));
        Assert.Equal(0, result.ExitCode);
        foreach (var name in new[] { "a-1.png", "a-2.png", "o-1.png", "o-2.png", "a.html" }) Assert.True(File.Exists(dir.File(name)), name);
        // 4 channels of 24x24 maps enlarged to 48: 2x2 cells with padding 9.
        var grid = ImageDecoder.DecodeFile(dir.File("a-1.png"));
        Assert.Equal((9 + 2 * 57, 9 + 2 * 57), (grid.Width, grid.Height));
        Assert.Contains("/Relu_output_0 [6,24,24]: channels", result.Output);
        var all = CliRunner.Run("visualize", "activations", "--model", LeNet, "--input", LeNetInput, "--layer", "/Relu_output_0", "--png", dir.File("all.png"));
        Assert.Contains("/Relu_output_0 [6,24,24]: channels 0 1 2 3 4 5", all.Output); // index order without --top
    }

    [Fact]
    public void Top_patches_lists_the_best_images_per_channel()
    {
        using var dir = new TempDirectory();
        var images = Directory.CreateDirectory(dir.File("images")).FullName;
        for (int n = 0; n < 5; n++)
        {
            var image = new CnnLens.Imaging.Image(28, 28, 1);
            for (int i = 0; i < image.Pixels.Length; i++) image.Pixels[i] = (byte)((i * (n + 3)) % 251);
            CnnLens.Imaging.Codecs.Png.PngEncoder.Save(image, Path.Combine(images, $"d{n}.png"));
        }
        var result = CliRunner.Run("visualize", "top-patches", "--model", LeNet, "--images", images, "--grayscale", "--layer", "/Relu_1_output_0",
            "--channels", "3,5", "--top", "2", "--png", dir.File("t.png"), "--quiet");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["channel 3:", "channel 5:"], lines.Where(l => l.StartsWith("channel")).ToArray());
        Assert.Equal(6, lines.Length);
        // LeNet's second conv sees 14x14 pixels: conv5 → pool2 → conv5.
        Assert.Contains("(14x14)", result.Output);
        Assert.True(File.Exists(dir.File("t.png")));
        var report = CliRunner.Run("visualize", "top-patches", "--model", LeNet, "--images", images, "--grayscale", "--layer", "/Relu_1_output_0",
            "--channels", "3", "--top", "5", "--report", dir.File("t.html"), "--quiet");
        Assert.Equal(0, report.ExitCode);
        string html = File.ReadAllText(dir.File("t.html"));
        Assert.Contains("Channel 3 of /Relu_1_output_0: top 5 of 5 images", html);
        for (int n = 0; n < 5; n++) Assert.Contains($"d{n}.png", html);
    }

    [Fact]
    public void Errors_are_one_line_with_exit_code_2_and_no_output()
    {
        using var dir = new TempDirectory();
        string png = dir.File("out.png");
        CliRunner.AssertUserError(CliRunner.Run("visualize", "filters", "--model", LeNet, "--layer", "/Relu_output_0", "--png", png), "not a convolution", "/conv1/Conv_output_0");
        CliRunner.AssertUserError(CliRunner.Run("visualize", "filters", "--model", LeNet, "--layer", "conv3", "--png", png), "nearest names");
        CliRunner.AssertUserError(CliRunner.Run("visualize", "filters", "--model", LeNet), "--png");
        CliRunner.AssertUserError(CliRunner.Run("visualize", "filters", "--model", LeNet, "--png", dir.File("missing/out.png")), "does not exist");
        CliRunner.AssertUserError(CliRunner.Run("visualize", "activations", "--model", LeNet, "--input", LeNetInput, "--layer", "/Relu_outpt_0", "--png", png), "nearest names: /Relu_output_0");
        CliRunner.AssertUserError(CliRunner.Run("visualize", "activations", "--model", LeNet, "--input", LeNetInput, "--layer", "logits", "--png", png), "[N,C,H,W]");
        CliRunner.AssertUserError(CliRunner.Run("visualize", "activations", "--model", LeNet, "--input", LeNetInput, "--layer", "/Relu_output_0", "--rank", "median", "--png", png), "--rank");
        var empty = Directory.CreateDirectory(dir.File("empty")).FullName;
        CliRunner.AssertUserError(CliRunner.Run("visualize", "top-patches", "--model", LeNet, "--images", empty, "--layer", "/Relu_1_output_0", "--channels", "0", "--png", png), "holds no images");
        CliRunner.AssertUserError(CliRunner.Run("visualize", "top-patches", "--model", LeNet, "--images", dir.File("nowhere"), "--layer", "/Relu_1_output_0", "--channels", "0", "--png", png), "does not exist");
        File.WriteAllBytes(Path.Combine(empty, "bad.png"), [1, 2, 3]);
        CliRunner.AssertUserError(CliRunner.Run("visualize", "top-patches", "--model", LeNet, "--images", empty, "--grayscale", "--layer", "/Relu_1_output_0", "--channels", "0", "--png", png), "bad.png");
        var one = Directory.CreateDirectory(dir.File("one")).FullName;
        CnnLens.Imaging.Codecs.Png.PngEncoder.Save(new CnnLens.Imaging.Image(28, 28, 1), Path.Combine(one, "zero.png"));
        CliRunner.AssertUserError(CliRunner.Run("visualize", "top-patches", "--model", LeNet, "--images", one, "--grayscale", "--layer", "/Relu_1_output_0", "--channels", "2,16", "--png", png), "channel 16 is outside");
        CliRunner.AssertUserError(CliRunner.Run("visualize", "top-patches", "--model", LeNet, "--images", one, "--grayscale", "--layer", "/Relu_1_output_0", "--channels", "a", "--png", png), "--channels");
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
