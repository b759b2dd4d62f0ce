using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>What lime, kernel-shap and shapley-sampling share: the features of each image, the scores of coalitions, and the surrogate fit's loop.</summary>
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

    /// <summary>
    /// The surrogate methods' loop (lime, kernel-shap), checked before the model runs: for each image,
    /// <paramref name="coalitions"/>(image, features) gives <paramref name="samples"/> rows of features on or off,
    /// the model scores them for the image's target, and <paramref name="fit"/>(rows, scores, features) turns the
    /// scores into one value per feature (and the fit's R²), spread over that feature's pixels: [N,H,W].
    /// </summary>
    public static (Tensor Values, int[] Targets, double[] RSquared) FitSurrogates(Model model, Tensor input, int[]? targets,
        FeatureMaskSource features, Baseline baselineKind, int samples, int batchSize, AttributionMethod method,
        Func<int, int, bool[]> coalitions, Func<bool[], float[], int, (double[] Values, double RSquared)> fit)
    {
        var (_, masks) = Prepare(input, features, batchSize);
        foreach (var mask in masks) SampleBudget.Check(method.Name, samples, mask.Count * 9L);
        var resolved = Targets.Resolve(model.Predict(input), targets);
        var baseline = baselineKind.For(input);
        int batch = input.Dim(0), plane = masks[0].Labels.Length;
        var values = new Tensor(batch, masks[0].Height, masks[0].Width);
        var fits = new double[batch];
        for (int n = 0; n < batch; n++)
        {
            var mask = masks[n];
            var on = coalitions(n, mask.Count);
            var scores = Scores(model, input, baseline, n, mask, on, samples, resolved[n], batchSize, method);
            var (featureValues, rSquared) = fit(on, scores, mask.Count);
            FeatureCoalition.Spread(mask, featureValues, values.Data.AsSpan(n * plane, plane));
            fits[n] = rSquared;
        }
        return (values, resolved, fits);
    }
}
