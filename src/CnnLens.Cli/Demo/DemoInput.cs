using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;
using CnnLens.Training;

namespace CnnLens.Cli.Demo;

/// <summary>How the demo turns raw [N,1,H,W] images in [0,1] into a model's input: (x · scale − mean) / std, as the model was trained.</summary>
public sealed record DemoInput(float Scale, float Mean, float Std)
{
    /// <summary>The preprocessing `cnnlens train` stored in the model's metadata (greyscale, one channel).</summary>
    public static DemoInput For(Model model) =>
        TrainedPreprocessing.FromMetadata(model.Onnx) is { } p
            ? new DemoInput(p.Scale, p.Mean[0], p.Std[0])
            : throw new CnnLensException($"the demo model '{model.Name}' has no stored preprocessing; retrain it with tools/train_demo_models.sh");

    /// <summary>An all-black image as the model sees it: the natural "absence of ink" baseline for digits and shapes.</summary>
    public Baseline BlackBaseline => Baseline.Constant(-Mean / Std, "black");

    public string Description => Scale == 1 && Mean == 0 && Std == 1
        ? "greyscale in [0,1], as in training"
        : $"greyscale in [0,1], then (x · {Scale:G4} − {Mean:G4}) / {Std:G4}, as in training";

    public Tensor Prepare(Tensor raw)
    {
        var x = new Tensor(raw.ShapeArray);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (raw.Data[i] * Scale - Mean) / Std;
        return x;
    }
}
