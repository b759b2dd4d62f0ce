using System.Text.Json;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Reports;
using CnnLens.Tests.Reports;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Cli;

/// <summary>What <c>cnnlens explain</c> writes for people: --report, --png, --json, and the option checks before any work.</summary>
public class ExplainOutputTests
{
    private static readonly string ResNet = RepositoryPaths.Fixture("engine", "resnet18.onnx");
    private static readonly string ResNetInput = RepositoryPaths.Fixture("engine", "resnet18_input_b1.npy");
    private const int Side = 64; // the resnet18 fixture's input is [1,3,64,64]

    [Fact]
    public void Report_has_a_panel_per_method_with_images_at_the_input_size()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("explain", "--model", ResNet, "--input", ResNetInput, "--method", "saliency,grad-cam,integrated-gradients",
            "--steps", "8", "--report", dir.File("r.html"));
        Assert.True(result.ExitCode == 0, result.Error);
        string html = File.ReadAllText(dir.File("r.html"));
        Assert.Equal(["saliency", "grad-cam", "integrated-gradients"], ReportHtml.Panels(html).Select(p => p.Title));
        var figures = ReportHtml.Figures(html);
        Assert.Equal(1 + 3 * 2, figures.Count);
        Assert.All(figures, f => Assert.Equal((Side, Side), (f.Image.Width, f.Image.Height)));
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("resnet18.onnx", html);
        Assert.Contains("<th>layer</th>", html); // grad-cam names its layer
        Assert.Contains("convergence delta", html); // integrated gradients reports completeness
        Assert.Contains("saliency:", result.Output); // the human lines still print
    }

    [Fact]
    public void Json_prints_the_metadata_instead_of_the_text_lines_with_pytorch_equal_predictions()
    {
        var result = CliRunner.Run("explain", "--model", ResNet, "--input", ResNetInput, "--method", "saliency,grad-cam", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Output);
        var image = doc.RootElement.GetProperty("images")[0];
        // Softmax of the PyTorch logits, computed here in double.
        var logits = EngineFixtures.Read("resnet18", "logits_b1").Data.Select(v => (double)v).ToArray();
        double max = logits.Max(), sum = logits.Sum(v => Math.Exp(v - max));
        int best = Array.IndexOf(logits, max);
        var predictions = image.GetProperty("predictions");
        Assert.Equal(5, predictions.GetArrayLength());
        Assert.Equal(best, predictions[0].GetProperty("index").GetInt32());
        Assert.Equal(1 / sum, predictions[0].GetProperty("probability").GetDouble(), 4);
        var methods = image.GetProperty("methods");
        Assert.Equal("saliency", methods[0].GetProperty("method").GetString());
        Assert.Equal(best, methods[0].GetProperty("target").GetProperty("index").GetInt32());
        Assert.Equal("grad-cam", methods[1].GetProperty("method").GetString());
        Assert.False(string.IsNullOrEmpty(methods[1].GetProperty("layer").GetString()));
        Assert.Equal("jet", methods[1].GetProperty("colormap").GetString());
        Assert.True(methods[1].GetProperty("elapsed_ms").GetDouble() > 0);
        Assert.Equal(Side, image.GetProperty("width").GetInt32());
    }

    [Fact]
    public void Png_has_one_row_per_method_of_input_heatmap_overlay()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("explain", "--model", ResNet, "--input", ResNetInput, "--method", "saliency,grad-cam",
            "--png", dir.File("g.png"), "--colormap", "viridis", "--view", "absolute", "--opacity", "0.6");
        Assert.True(result.ExitCode == 0, result.Error);
        var png = PngDecoder.Decode(File.ReadAllBytes(dir.File("g.png")));
        int pad = ExplainPng.Padding;
        Assert.Equal(pad + 3 * (Side + pad), png.Width);
        Assert.Equal(pad + 2 * (Side + pad), png.Height);
    }

    [Fact]
    public void Batch_input_gives_one_report_section_per_image()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("explain", "--model", ResNet, "--input", RepositoryPaths.Fixture("engine", "resnet18_input_b4.npy"),
            "--method", "grad-cam", "--report", dir.File("r.html"));
        Assert.True(result.ExitCode == 0, result.Error);
        string html = File.ReadAllText(dir.File("r.html"));
        Assert.Equal(4, ReportHtml.Panels(html).Count);
        for (int n = 0; n < 4; n++) Assert.Contains($"resnet18_input_b4.npy [{n}]", html);
    }

    [Fact]
    public void Image_input_shows_the_prepared_image_not_the_normalised_tensor()
    {
        using var dir = new TempDirectory();
        // A flat colour stays that colour through resize and crop; a min-max rendering of its tensor would be black.
        var photo = new Image(90, 70, 3);
        for (int i = 0; i < photo.Pixels.Length; i += 3) (photo.Pixels[i], photo.Pixels[i + 1], photo.Pixels[i + 2]) = ((byte)200, (byte)50, (byte)20);
        PngEncoder.Save(photo, dir.File("flat.png"));
        var result = CliRunner.Run("explain", "--model", ResNet, "--image", dir.File("flat.png"), "--preset", "imagenet", "--resize", "72", "--crop", "64",
            "--method", "grad-cam", "--report", dir.File("r.html"));
        Assert.True(result.ExitCode == 0, result.Error);
        string html = File.ReadAllText(dir.File("r.html"));
        var input = ReportHtml.Figures(html)[0].Image;
        Assert.Equal((64, 64), (input.Width, input.Height));
        Assert.Equal([200, 50, 20], new[] { (int)input[10, 20, 0], input[10, 20, 1], input[10, 20, 2] });
        Assert.Contains("centre crop 64x64", html);
    }

    [Theory]
    [InlineData("--colormap", "rainbowish", "unknown colormap 'rainbowish'")]
    [InlineData("--view", "sideways", "--view must be signed, positive, negative or absolute")]
    [InlineData("--opacity", "1.5", "--opacity must be between 0 and 1")]
    public void Bad_display_options_fail_before_loading_the_model(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        // The model path does not exist: the option error must come first, proving nothing ran.
        var result = CliRunner.Run("explain", "--model", dir.File("missing.onnx"), "--input", ResNetInput, "--method", "saliency",
            option, value, "--report", dir.File("r.html"), "--png", dir.File("g.png"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("--report")]
    [InlineData("--png")]
    public void Missing_output_folder_is_a_clear_error_and_writes_nothing(string option)
    {
        using var dir = new TempDirectory();
        string target = Path.Combine(dir.Path, "nowhere", "out.file");
        var result = CliRunner.Run("explain", "--model", dir.File("missing.onnx"), "--input", ResNetInput, "--method", "saliency", option, target);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{option}: folder", result.Error);
        Assert.Contains("does not exist", result.Error);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Failing_run_leaves_no_report()
    {
        using var dir = new TempDirectory();
        // Target 99 does not exist in a 10-class model: the method fails after the model loaded.
        var result = CliRunner.Run("explain", "--model", ResNet, "--input", ResNetInput, "--method", "saliency", "--target", "99",
            "--report", dir.File("r.html"), "--png", dir.File("g.png"));
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_channel_target_is_explained_and_named_in_the_outputs()
    {
        using var dir = new TempDirectory();
        string layer = CnnLens.Graph.Model.Load(ResNet).DescribeTensors().First(t => t.OpType == "Relu").Name;
        var result = CliRunner.Run("explain", "--model", ResNet, "--input", ResNetInput, "--method", "saliency",
            "--target-layer", layer, "--target-channel", "3", "--npy", dir.File("s.npy"), "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        var model = CnnLens.Graph.Model.Load(ResNet);
        var expected = new CnnLens.Attribution.Saliency { Neuron = new CnnLens.Attribution.NeuronTarget(layer, 3) }
            .Attribute(model, CnnLens.Reports.NpyFile.Read(ResNetInput)).Values;
        Assert.Equal(expected.Data, NpyFile.Read(dir.File("s.npy")).Data);
        using var json = JsonDocument.Parse(result.Output);
        var target = json.RootElement.GetProperty("images")[0].GetProperty("methods")[0].GetProperty("target");
        Assert.Equal($"channel 3 of {layer}", target.GetProperty("neuron").GetString());
    }
}
