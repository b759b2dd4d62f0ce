using CnnLens.Attribution.Perturbation;
using CnnLens.Reports;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Cli;

/// <summary><c>explain --method occlusion|feature-ablation</c> with --window, --stride, --features and --full-forward.</summary>
public class OcclusionCliTests
{
    private static readonly string LeNet = RepositoryPaths.Fixture("engine", "lenet.onnx");
    private static readonly string LeNetInput = RepositoryPaths.Fixture("engine", "lenet_input_b1.npy");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Writes_the_library_result_for_the_given_window_and_stride(bool fullForward)
    {
        using var dir = new TempDirectory();
        string[] args = ["explain", "--model", LeNet, "--input", LeNetInput, "--method", "occlusion", "--window", "1,8,6", "--stride", "1,5,6",
            "--baseline", "mean", "--target", "2", "--quiet", "--npy", dir.File("o.npy")];
        var result = CliRunner.Run(fullForward ? [.. args, "--full-forward"] : args);
        Assert.True(result.ExitCode == 0, result.Error);
        var expected = new Occlusion(new OcclusionOptions { Window = [1, 8, 6], Strides = [1, 5, 6], Baseline = CnnLens.Attribution.Baseline.Mean })
            .Attribute(EngineFixtures.Load("lenet"), EngineFixtures.Read("lenet", "input_b1"), 2).Values;
        var written = NpyFile.Read(dir.File("o.npy"));
        Assert.Equal([1, 28, 28], written.ShapeArray);
        Compare.RelativeToLargest(expected.Data, written.Data, 1e-5, "occlusion --npy");
    }

    [Fact]
    public void Feature_ablation_takes_the_features_option()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("explain", "--model", LeNet, "--input", LeNetInput, "--method", "feature-ablation", "--features", "grid:7x14",
            "--target", "1", "--quiet", "--npy", dir.File("f.npy"));
        Assert.True(result.ExitCode == 0, result.Error);
        var expected = new FeatureAblation(new FeatureAblationOptions { Features = FeatureMaskSource.Grid(7, 14) })
            .Attribute(EngineFixtures.Load("lenet"), EngineFixtures.Read("lenet", "input_b1"), 1).Values;
        var written = NpyFile.Read(dir.File("f.npy"));
        Compare.RelativeToLargest(expected.Data, written.Data, 1e-5, "feature-ablation --npy");
        Assert.True(written.Data.Distinct().Count() <= 8); // 4 x 2 cells of 7 x 14 pixels
    }

    [Theory]
    [InlineData("--window", "1,8", "C,H,W")]
    [InlineData("--window", "1,x,8", "three integers")]
    [InlineData("--window", "1,40,8", "larger than the image")]
    [InlineData("--stride", "1,0,4", "at least 1")]
    public void Bad_windows_are_one_line_errors_and_write_nothing(string option, string value, string mention)
    {
        using var dir = new TempDirectory();
        string[] other = option == "--window" ? ["--stride", "1,4,4"] : ["--window", "1,8,8"];
        var result = CliRunner.Run(["explain", "--model", LeNet, "--input", LeNetInput, "--method", "occlusion", .. other, option, value,
            "--quiet", "--npy", dir.File("o.npy")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(mention, result.Error);
        Assert.DoesNotContain('\n', result.Error.TrimEnd());
        Assert.False(File.Exists(dir.File("o.npy")));
    }
}
