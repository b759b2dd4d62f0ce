using CnnLens.Graph;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Training;

/// <summary><c>cnnlens train</c>: a small run end to end, metadata picked up by predict, and user errors (exit 2).</summary>
public class TrainCliTests
{
    /// <summary>Two classes of 16x16 gray images: horizontal and vertical stripes (the toy set of <see cref="SyntheticImages"/>).</summary>
    private static void WriteFolder(string root, int perClass = 20)
    {
        var data = SyntheticImages.Stripes(2 * perClass, 16, seed: 8);
        for (int n = 0; n < data.Count; n++)
        {
            var pixels = data.Images.Data.AsSpan(n * 256, 256).ToArray().Select(v => (byte)Math.Round(v * 255)).ToArray();
            string path = Path.Combine(root, data.ClassNames[data.Labels[n]], $"{n}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            PngEncoder.Save(new Image(16, 16, 1, pixels), path);
        }
    }

    /// <summary>An RGB picture of horizontal stripes: the model's stored grayscale conversion must apply.</summary>
    private static void WriteQuery(string path)
    {
        var pixels = new byte[16 * 16 * 3];
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                for (int c = 0; c < 3; c++)
                    pixels[(y * 16 + x) * 3 + c] = y % 4 == 0 ? (byte)230 : (byte)25;
        PngEncoder.Save(new Image(16, 16, 3, pixels), path);
    }

    [Fact]
    public void Trains_an_image_folder_writes_onnx_and_predict_uses_its_classes_and_preprocessing()
    {
        using var dir = new TempDirectory();
        WriteFolder(dir.File("data"));
        File.WriteAllBytes(dir.File("data/vertical/broken.png"), [9, 9]);
        string model = dir.File("m.onnx");
        var run = CliRunner.Run("train", "--data", dir.File("data"), "--arch", "lenet", "--epochs", "4",
            "--grayscale", "--lr", "0.003", "--batch-size", "8", "--out", model, "--validation", "0.25", "--augment", "flip");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("broken.png", run.Error);
        Assert.Contains("epoch 4/4", run.Output);
        Assert.Contains("validation loss", run.Output);
        Assert.True(File.Exists(model));
        Assert.Equal(["horizontal", "vertical"], Model.Load(model).ClassNames);

        // No preprocessing flags: the model's stored 16x16 grayscale is used, and the names are its own.
        WriteQuery(dir.File("query.png"));
        var predict = CliRunner.Run("predict", "--model", model, "--image", dir.File("query.png"), "--top", "1");
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Contains("horizontal", predict.Output);
    }

    [Theory]
    [InlineData("--arch", "lenet", "--out", "OUT")] // no data
    [InlineData("--data", "DATA", "--mnist", "DATA", "--arch", "lenet", "--out", "OUT")]
    [InlineData("--data", "DATA", "--arch", "alexnet", "--out", "OUT")]
    [InlineData("--data", "DATA", "--arch", "lenet", "--optimizer", "rmsprop", "--out", "OUT")]
    [InlineData("--data", "DATA", "--arch", "lenet", "--schedule", "linear", "--out", "OUT")]
    [InlineData("--data", "DATA", "--arch", "lenet", "--augment", "zoom", "--out", "OUT")]
    [InlineData("--data", "DATA", "--arch", "lenet", "--epochs", "0", "--out", "OUT")]
    [InlineData("--data", "DATA", "--arch", "lenet", "--validation", "1.5", "--out", "OUT")]
    [InlineData("--data", "DATA", "--arch", "lenet", "--out", "MISSING/m.onnx")]
    [InlineData("--data", "MISSING", "--arch", "lenet", "--out", "OUT")]
    public void User_errors_exit_with_2_and_write_nothing(params string[] template)
    {
        using var dir = new TempDirectory();
        WriteFolder(dir.File("data"), perClass: 2);
        var args = template.Select(a => a.Replace("MISSING", dir.File("missing")).Replace("DATA", dir.File("data")).Replace("OUT", dir.File("m.onnx"))).ToArray();
        var run = CliRunner.Run(["train", .. args, "--quiet"]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("cnnlens: error:", run.Error);
        Assert.False(File.Exists(dir.File("m.onnx")));
    }

    [Fact]
    public void A_single_class_folder_exits_with_2()
    {
        using var dir = new TempDirectory();
        DataLoadingTests.WritePng(dir.File("data/only/a.png"), 16, 16, 1);
        var run = CliRunner.Run("train", "--data", dir.File("data"), "--arch", "lenet", "--out", dir.File("m.onnx"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("at least two classes", run.Error);
        Assert.False(File.Exists(dir.File("m.onnx")));
    }
}
