using CnnLens.Reports;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Cli;

/// <summary><c>cnnlens explain</c> with rise, lime, kernel-shap and shapley-sampling: options reach the methods, and bad ones stop the run first.</summary>
public class SamplingMethodCliTests
{
    private static readonly string LeNet = RepositoryPaths.Fixture("engine", "lenet.onnx");
    private static readonly string LeNetInput = RepositoryPaths.Fixture("engine", "lenet_input_b1.npy");

    [Theory]
    [InlineData("rise", "--mask-probability", "1.5", "--mask-probability must lie strictly between 0 and 1")]
    [InlineData("rise", "--mask-grid", "0", "--mask-grid must be at least 1")]
    [InlineData("rise", "--samples", "0", "--samples must be at least 1")]
    [InlineData("lime", "--kernel-width", "0", "--kernel-width must be a positive number")]
    [InlineData("lime", "--features", "slic:0", "slic:N")]
    [InlineData("kernel-shap", "--samples", "1", "--samples must be at least 2")]
    [InlineData("shapley-sampling", "--features", "slic:8,abc", "slic:N")]
    public void Bad_options_fail_before_loading_the_model(string method, string option, string value, string message)
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("explain", "--model", dir.File("missing.onnx"), "--input", LeNetInput, "--method", method, option, value, "--npy", dir.File("a.npy"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Lime_over_superpixels_writes_a_map_of_the_image_size_and_reports_its_fit()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("explain", "--model", LeNet, "--input", LeNetInput, "--method", "lime", "--samples", "40",
            "--features", "slic:12,5", "--seed", "2", "--npy", dir.File("lime.npy"));
        Assert.Equal(0, result.ExitCode);
        var map = NpyFile.Read(dir.File("lime.npy"));
        var input = NpyFile.Read(LeNetInput);
        Assert.Equal(input.ShapeArray[2..], map.ShapeArray);
        Assert.Contains("lime: target", result.Output);
        Assert.Contains("surrogate R² ", result.Output);
    }

    [Fact]
    public void The_json_metadata_carries_the_surrogate_fit_of_kernel_shap()
    {
        var result = CliRunner.Run("explain", "--model", LeNet, "--input", LeNetInput, "--method", "kernel-shap", "--samples", "30",
            "--features", "grid:7", "--json", "--quiet");
        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        var text = json.RootElement.ToString();
        Assert.Contains("\"surrogate_r2\"", text);
        Assert.Contains("\"features\":\"grid:7\"", text.Replace(" ", ""));
    }
}
