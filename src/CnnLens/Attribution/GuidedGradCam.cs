using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// guided-grad-cam (Selvaraju et al. 2017; Captum <c>GuidedGradCam</c>): guided backprop times the
/// Grad-CAM map upsampled to the input with nearest-neighbour interpolation (Captum's default),
/// broadcast over channels. Output [N,C,H,W].
/// </summary>
public sealed class GuidedGradCam(string? layer = null) : AttributionMethod
{
    public string? Layer { get; } = layer;

    public override string Name => "guided-grad-cam";

    protected override IReadOnlyDictionary<string, string> DescribeOptions() =>
        new Dictionary<string, string> { ["layer"] = Layer ?? "(suggested)" };

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var cam = new GradCam(Layer).Attribute(model, input, targets);
        var guided = new GuidedBackprop().Attribute(model, input, cam.Targets).Values;
        int n = input.Dim(0), c = input.Dim(1), height = input.Dim(2), width = input.Dim(3);
        int h = cam.Values.Dim(1), w = cam.Values.Dim(2);
        var values = new Tensor(input.ShapeArray);
        for (int image = 0; image < n; image++)
            for (int y = 0; y < height; y++)
            {
                // PyTorch's "nearest": source index = floor(destination · in / out).
                int sy = Math.Min(h - 1, (int)Math.Floor(y * (double)h / height));
                for (int x = 0; x < width; x++)
                {
                    int sx = Math.Min(w - 1, (int)Math.Floor(x * (double)w / width));
                    float weight = cam.Values.Data[(image * h + sy) * w + sx];
                    for (int channel = 0; channel < c; channel++)
                    {
                        int i = ((image * c + channel) * height + y) * width + x;
                        values.Data[i] = guided.Data[i] * weight;
                    }
                }
            }
        return Result(values, cam.Targets, cam.Layer);
    }
}
