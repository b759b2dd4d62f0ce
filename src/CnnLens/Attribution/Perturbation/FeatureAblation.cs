using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>
/// feature-ablation (Captum <c>FeatureAblation</c> with a feature mask shared by all channels): each
/// feature of the mask in turn is replaced by the baseline in every channel, and the drop of the
/// target logit (original − ablated) is the attribution of every element of that feature. Output
/// [N,C,H,W] with the same value in every channel (the mask has no channel axis). Features whose
/// bounding box is small run through <see cref="IncrementalForward"/>.
/// </summary>
public sealed class FeatureAblation(FeatureAblationOptions? options = null) : AttributionMethod
{
    public FeatureAblationOptions Options { get; } = options ?? new FeatureAblationOptions();

    public override string Name => "feature-ablation";

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        if (input.Rank != 4) throw new ShapeMismatchException($"feature-ablation explains images [N,C,H,W], got {input}");
        var imageShape = input.ShapeArray[1..];
        PerturbedScores.CheckBatch(imageShape, Options.BatchSize);
        int channels = imageShape[0], height = imageShape[1], width = imageShape[2], plane = height * width, perImage = channels * plane;
        var masks = Enumerable.Range(0, input.Dim(0))
            .Select(n => Options.Features.For(new Tensor(imageShape, input.Data.AsSpan(n * perImage, perImage).ToArray())))
            .ToArray();
        var (original, resolved) = ExplainedScores(model, input, targets);
        var baseline = Options.Baseline.For(input);
        var result = new Tensor(input.ShapeArray);

        for (int n = 0; n < input.Dim(0); n++)
        {
            var mask = masks[n];
            var image = input.Data.AsMemory(n * perImage, perImage);
            var reference = baseline.Data.AsMemory(n * perImage, perImage);
            var boxes = PixelBox.AroundFeatures(mask);
            void Fill(int feature, Span<float> destination)
            {
                image.Span.CopyTo(destination);
                var box = boxes[feature];
                for (int y = box.Top; y < box.Top + box.Height; y++)
                    for (int x = box.Left; x < box.Left + box.Width; x++)
                        if (mask.Labels[y * width + x] == feature)
                            for (int c = 0; c < channels; c++)
                                destination[c * plane + y * width + x] = reference.Span[c * plane + y * width + x];
            }
            var one = new Tensor([1, .. imageShape], image.ToArray());
            var scores = RegionScores.Evaluate(model, one, mask.Count, Fill, f => boxes[f], resolved[n], Options.BatchSize, this, Options.FullForward);
            var target = result.Data.AsSpan(n * perImage, perImage);
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < plane; p++)
                    target[c * plane + p] = (float)(original[n] - scores[mask.Labels[p]]);
        }
        return Result(result, resolved);
    }

    protected override IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>
    {
        ["features"] = Options.Features.ToString(),
        ["baseline"] = Options.Baseline.Name,
        ["forward"] = Options.FullForward ? "full" : "incremental",
    };
}
