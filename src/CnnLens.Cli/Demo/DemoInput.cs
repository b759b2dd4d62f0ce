using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Cli.Demo;

/// <summary>How the demo turns raw [N,1,H,W] images in [0,1] into a model's input: (x − mean) / std, as the model was trained.</summary>
public sealed record DemoInput(float Mean, float Std)
{
    /// <summary>The normalisation stored in a demo model's metadata at training time.</summary>
    public static DemoInput For(Model model) =>
        model.Onnx.Metadata.TryGetValue("cnnlens.mean", out var mean) && model.Onnx.Metadata.TryGetValue("cnnlens.std", out var std)
            ? new DemoInput(float.Parse(mean, System.Globalization.CultureInfo.InvariantCulture), float.Parse(std, System.Globalization.CultureInfo.InvariantCulture))
            : new DemoInput(0, 1);

    /// <summary>An all-black image as the model sees it: the natural "absence of ink" baseline for digits and shapes.</summary>
    public Baseline BlackBaseline => Baseline.Constant(-Mean / Std, "black");

    public string Description => $"greyscale in [0,1], then (x − {Mean:G4}) / {Std:G4}";

    public Tensor Prepare(Tensor raw)
    {
        var x = new Tensor(raw.ShapeArray);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (raw.Data[i] - Mean) / Std;
        return x;
    }
}
