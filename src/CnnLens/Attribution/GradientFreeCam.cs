using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// The CAMs that weight a layer's activation channels without gradients (pytorch-grad-cam's
/// ScoreCAM, AblationCAM, EigenCAM): one forward pass of the images keeps the layer A [N,C,h,w]
/// and every other tensor; the variant turns that into a map [N,h,w] at the layer's resolution,
/// after the ReLU, before pytorch-grad-cam's resize and min-max normalisation. Without a layer the
/// model's suggested CAM layer is used.
/// </summary>
public abstract class GradientFreeCam(string? layer, int batchSize) : AttributionMethod
{
    public string? Layer { get; } = layer;

    /// <summary>How many perturbed inputs (or layer values) go through the network at once.</summary>
    public int BatchSize { get; } = batchSize >= 1 ? batchSize : throw new InvalidOptionException($"--batch-size must be at least 1, not {batchSize}");

    protected override IReadOnlyDictionary<string, string> DescribeOptions() =>
        new Dictionary<string, string> { ["layer"] = Layer ?? "(suggested)", ["batch-size"] = BatchSize.ToString() };

    protected sealed override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        string layer = Layer ?? model.SuggestedCamLayer(input)
            ?? throw new InvalidOptionException("the model has no feature map with spatial size above 1; give --layer");
        if (!model.Graph.HasTensor(layer)) throw LayerNames.NotFound(model, layer);
        CheckInput(input);
        var values = model.ForwardAll(input);
        var activation = values[model.Graph.SlotOf(layer)]
            ?? throw new InvalidOptionException($"tensor '{layer}' is a constant, not a layer");
        if (activation.Rank != 4 || activation.Dim(0) != input.Dim(0))
            throw new InvalidOptionException($"layer '{layer}' is {activation}; CAM methods need a feature map [N,C,h,w] (see 'cnnlens layers')");
        var logits = values[model.Graph.SlotOf(model.LogitsName)]!;
        var resolved = Targets.Resolve(logits, targets);
        var cam = Map(new CamLayer(model, input, layer, values, activation, logits, resolved));
        for (int i = 0; i < cam.Length; i++) cam.Data[i] = Math.Max(cam.Data[i], 0f);
        return Result(cam, resolved, layer);
    }

    /// <summary>Rejects an input the variant cannot work on, before the forward pass.</summary>
    protected virtual void CheckInput(Tensor input) { }

    /// <summary>The map [N,h,w] before the ReLU.</summary>
    protected abstract Tensor Map(CamLayer layer);

    /// <summary>Σ_c weights[n,c]·A[n,c] for every image: the map of channel-weighting variants.</summary>
    protected static Tensor WeightedSum(Tensor activation, ReadOnlySpan<float> weights)
    {
        int n = activation.Dim(0), c = activation.Dim(1), plane = activation.Dim(2) * activation.Dim(3);
        var cam = new Tensor(n, activation.Dim(2), activation.Dim(3));
        for (int image = 0; image < n; image++)
        {
            var map = cam.Data.AsSpan(image * plane, plane);
            for (int channel = 0; channel < c; channel++)
            {
                float weight = weights[image * c + channel];
                var a = activation.Data.AsSpan((image * c + channel) * plane, plane);
                for (int i = 0; i < plane; i++) map[i] += weight * a[i];
            }
        }
        return cam;
    }

    /// <summary>What a variant works from: the layer's activation and the forward pass that produced it.</summary>
    protected sealed record CamLayer(Model Model, Tensor Input, string Name, Tensor?[] Values, Tensor Activation, Tensor Logits, int[] Targets);
}
