using CnnLens.Reports;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Cli;

/// <summary>explain with the gradient-free CAMs: the .npy is the reference map; user errors are one line, exit 2, no file.</summary>
public class GradientFreeCamCliTests
{
    private static readonly string LeNet = RepositoryPaths.Fixture("engine", "lenet.onnx");
    private static readonly string Input = RepositoryPaths.Fixture("engine", "lenet_input_b1.npy");

    [Theory]
    [InlineData("ablation-cam")]
    [InlineData("eigen-cam")]
    public void Npy_is_the_reference_map_without_the_batch_axis(string method)
    {
        using var dir = new TempDirectory();
        string target = AttributionFixtures.Entry("lenet").GetProperty("target_b1").GetInt32().ToString();
        var result = CliRunner.Run("explain", "--model", LeNet, "--input", Input, "--method", method, "--target", target,
            "--batch-size", "5", "--quiet", "--npy", dir.File("cam.npy"));
        Assert.Equal(0, result.ExitCode);
        var cam = NpyFile.Read(dir.File("cam.npy"));
        var expected = NpyFile.Read(RepositoryPaths.Fixture("cam", $"lenet_{method}.npy"));
        Assert.Equal(expected.ShapeArray[1..], cam.ShapeArray);
        Compare.RelativeToLargest(expected.Data, cam.Data, 1e-4, method);
    }

    [Theory]
    [InlineData("score-cam", "--layer", "/MaxPool_9_output_0", "nearest names")]
    [InlineData("ablation-cam", "--layer", "/fc1/Gemm_output_0", "feature map")]
    [InlineData("score-cam", "--batch-size", "0", "--batch-size")]
    public void User_errors_are_one_line_exit_2_and_write_nothing(string method, string option, string value, string mention)
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("explain", "--model", LeNet, "--input", Input, "--method", method, option, value, "--quiet", "--npy", dir.File("cam.npy"));
        Assert.Equal(2, result.ExitCode);
        string line = result.Error.TrimEnd();
        Assert.DoesNotContain('\n', line);
        Assert.Contains(mention, line);
        Assert.False(File.Exists(dir.File("cam.npy")));
    }
}
