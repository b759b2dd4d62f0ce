using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>What lime, kernel-shap and shapley-sampling share: the features of each image and the scores of coalitions.</summary>
internal static class FeatureSampling
{
    /// <summary>Checks the input and the batch size, then finds every image's features (all before the model runs).</summary>
    public static (int[] ImageShape, FeatureMask[] Masks) Prepare(Tensor input, FeatureMaskSource features, int batchSize)
    {
        if (input.Rank != 4) throw new ShapeMismatchException($"feature perturbation works on images [N,C,H,W], not {input}");
        int[] imageShape = input.ShapeArray[1..];
        PerturbedScores.CheckBatch(imageShape, batchSize);
        var masks = new FeatureMask[input.Dim(0)];
        for (int n = 0; n < masks.Length; n++) masks[n] = features.For(Batch.Slice(input, n, 1).Reshape(imageShape));
        return (imageShape, masks);
    }

    /// <summary>Target scores of <paramref name="count"/> coalitions stored row by row in <paramref name="on"/> (mask.Count per row).</summary>
    public static float[] Scores(Model model, Tensor input, Tensor baseline, int image, FeatureMask mask, bool[] on, int count,
        int target, int batchSize, AttributionMethod method)
    {
        int perImage = Batch.PerImage(input), features = mask.Count;
        var x = input.Data.AsMemory(image * perImage, perImage);
        var b = baseline.Data.AsMemory(image * perImage, perImage);
        return PerturbedScores.Evaluate(model, input.ShapeArray[1..], count,
            (i, destination) => FeatureCoalition.Write(mask, x.Span, b.Span, on.AsSpan(i * features, features), destination),
            target, batchSize, method);
    }
}
