using System.Text.Json;
using CnnLens.Reports;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Cli;

public class CliCommandTests
{
    private static readonly string LeNet = RepositoryPaths.Fixture("engine", "lenet.onnx");

    [Fact]
    public void Predict_writes_pytorch_equal_logits_and_lists_the_top_classes()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("predict", "--model", LeNet, "--input", RepositoryPaths.Fixture("engine", "lenet_input_b1.npy"),
            "--top", "3", "--npy", dir.File("logits.npy"));
        Assert.Equal(0, result.ExitCode);
        var expected = EngineFixtures.Read("lenet", "logits_b1");
        var logits = NpyFile.Read(dir.File("logits.npy"));
        Assert.Equal([10], logits.ShapeArray);
        Compare.RelativeToLargest(expected.Data, logits.Data, 1e-4);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith(Compare.TopK(expected.Data, 1)[0].ToString(), lines[0].Trim());
    }

    [Fact]
    public void Layers_lists_tensors_with_shapes_and_the_suggested_cam_layer()
    {
        var result = CliRunner.Run("layers", "--model", LeNet);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[1,1,28,28]", result.Output);
        Assert.Contains("[1,10]", result.Output);
        Assert.Contains("suggested CAM layer: ", result.Output);
    }

    [Fact]
    public void Bench_prints_one_json_line_with_the_contract_fields()
    {
        var result = CliRunner.Run("bench", "--model", LeNet, "--method", "predict", "--repeat", "3", "--warmup", "1");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output.Trim());
        foreach (var key in new[] { "model", "method", "median_ms", "min_ms", "peak_mb" })
            Assert.True(json.RootElement.TryGetProperty(key, out _), key);
        Assert.True(json.RootElement.GetProperty("min_ms").GetDouble() <= json.RootElement.GetProperty("median_ms").GetDouble());
    }

    [Fact]
    public void Bench_warms_up_by_default_and_refuses_a_negative_warmup()
    {
        var result = CliRunner.Run("bench", "--model", LeNet, "--method", "predict", "--repeat", "2");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output.Trim());
        Assert.Equal("predict", json.RootElement.GetProperty("method").GetString());
        CliRunner.AssertUserError(CliRunner.Run("bench", "--model", LeNet, "--warmup", "-1"), "--warmup at least 0");
    }
}
