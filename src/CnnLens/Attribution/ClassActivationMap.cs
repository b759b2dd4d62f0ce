using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// The pipeline every gradient CAM shares (pytorch-grad-cam's BaseCAM): take a layer's activation
/// A [N,C,h,w] and the target's gradient G there, combine them per variant, sum over channels, ReLU.
/// The result is [N,h,w] at the layer's resolution, before upsampling or normalisation. Without a
/// layer, the model's suggested CAM layer (last feature map with spatial size above 1) is used.
/// </summary>
public abstract class ClassActivationMap(string? layer) : AttributionMethod
{
    public string? Layer { get; } = layer;

    protected override IReadOnlyDictionary<string, string> DescribeOptions() =>
        new Dictionary<string, string> { ["layer"] = Layer ?? "(suggested)" };

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        string layer = Layer ?? model.SuggestedCamLayer(input)
            ?? throw new InvalidOptionException("the model has no feature map with spatial size above 1; give --layer");
        var (activation, gradient, _, resolved) = Gradients.OfLayer(model, input, targets, layer);
        if (activation.Rank != 4)
            throw new InvalidOptionException($"layer '{layer}' is {activation}; CAM methods need a feature map [N,C,h,w] (see 'cnnlens layers')");
        int n = activation.Dim(0), c = activation.Dim(1), h = activation.Dim(2), w = activation.Dim(3), plane = h * w;
        var cam = new Tensor(n, h, w);
        var pixelWeights = new float[plane];
        for (int image = 0; image < n; image++)
        {
            var map = cam.Data.AsSpan(image * plane, plane);
            for (int channel = 0; channel < c; channel++)
            {
                int offset = (image * c + channel) * plane;
                var a = activation.Data.AsSpan(offset, plane);
                var g = gradient.Data.AsSpan(offset, plane);
                Weigh(a, g, pixelWeights);
                for (int i = 0; i < plane; i++) map[i] += pixelWeights[i] * a[i];
            }
            for (int i = 0; i < plane; i++) map[i] = Math.Max(map[i], 0f);
        }
        return Result(cam, resolved, layer);
    }

    /// <summary>
    /// The weight of each activation value of one channel: a channel-wide constant (Grad-CAM,
    /// Grad-CAM++, XGrad-CAM) or per position (HiRes-CAM, Layer-CAM).
    /// </summary>
    protected abstract void Weigh(ReadOnlySpan<float> activation, ReadOnlySpan<float> gradient, Span<float> weights);
}

/// <summary>grad-cam (Selvaraju et al. 2017; Captum <c>LayerGradCam(relu_attributions=True)</c>): channel weight = mean gradient.</summary>
public sealed class GradCam(string? layer = null) : ClassActivationMap(layer)
{
    public override string Name => "grad-cam";

    protected override void Weigh(ReadOnlySpan<float> activation, ReadOnlySpan<float> gradient, Span<float> weights)
    {
        double sum = 0;
        foreach (float g in gradient) sum += g;
        weights.Fill((float)(sum / gradient.Length));
    }
}

/// <summary>
/// grad-cam-plus-plus (Chattopadhyay et al. 2018, as pytorch-grad-cam computes it):
/// α = G² / (2G² + ΣA · G³ + 1e-6) where G ≠ 0, channel weight = Σ α · max(G, 0).
/// </summary>
public sealed class GradCamPlusPlus(string? layer = null) : ClassActivationMap(layer)
{
    public override string Name => "grad-cam-plus-plus";

    protected override void Weigh(ReadOnlySpan<float> activation, ReadOnlySpan<float> gradient, Span<float> weights)
    {
        float sumActivation = 0;
        foreach (float a in activation) sumActivation += a;
        float weight = 0;
        foreach (float g in gradient)
        {
            if (g == 0) continue;
            float g2 = g * g, g3 = g2 * g;
            weight += Math.Max(g, 0f) * (g2 / (2 * g2 + sumActivation * g3 + 1e-6f));
        }
        weights.Fill(weight);
    }
}

/// <summary>xgrad-cam (Fu et al. 2020, as pytorch-grad-cam): channel weight = Σ G · A / (ΣA + 1e-7).</summary>
public sealed class XGradCam(string? layer = null) : ClassActivationMap(layer)
{
    public override string Name => "xgrad-cam";

    protected override void Weigh(ReadOnlySpan<float> activation, ReadOnlySpan<float> gradient, Span<float> weights)
    {
        float sumActivation = 0;
        foreach (float a in activation) sumActivation += a;
        float weight = 0;
        for (int i = 0; i < gradient.Length; i++) weight += gradient[i] * activation[i] / (sumActivation + 1e-7f);
        weights.Fill(weight);
    }
}

/// <summary>layer-cam (Jiang et al. 2021, as pytorch-grad-cam): each position weighted by max(G, 0).</summary>
public sealed class LayerCam(string? layer = null) : ClassActivationMap(layer)
{
    public override string Name => "layer-cam";

    protected override void Weigh(ReadOnlySpan<float> activation, ReadOnlySpan<float> gradient, Span<float> weights)
    {
        for (int i = 0; i < gradient.Length; i++) weights[i] = Math.Max(gradient[i], 0f);
    }
}

/// <summary>hires-cam (Draelos &amp; Carin 2020, as pytorch-grad-cam): each position weighted by its own gradient.</summary>
public sealed class HiResCam(string? layer = null) : ClassActivationMap(layer)
{
    public override string Name => "hires-cam";

    protected override void Weigh(ReadOnlySpan<float> activation, ReadOnlySpan<float> gradient, Span<float> weights) =>
        gradient.CopyTo(weights);
}
