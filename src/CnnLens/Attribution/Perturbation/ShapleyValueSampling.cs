using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>Options of <see cref="ShapleyValueSampling"/> (CLI: --samples, --features, --baseline, --seed, --batch-size).</summary>
public sealed record ShapleySamplingOptions
{
    /// <summary>Permutations (Captum's default 25); each costs one model evaluation per feature.</summary>
    public int Samples { get; init; } = 25;

    /// <summary>The players (default: about 50 SLIC superpixels of each image).</summary>
    public FeatureMaskSource Features { get; init; } = FeatureMaskSource.DefaultSuperpixels;

    /// <summary>What absent features become (zero, as Captum's ShapleyValueSampling).</summary>
    public Baseline Baseline { get; init; } = Baseline.Zero;

    public long Seed { get; init; }

    public int BatchSize { get; init; } = 16;
}

/// <summary>
/// shapley-sampling (Castro et al. 2009; Captum <c>ShapleyValueSampling</c>): for each random permutation
/// of the features, start from the baseline and switch the features on one at a time in that order;
/// a feature's value is its marginal change of the target logit, averaged over permutations. Every
/// permutation splits f(x) − f(baseline) exactly. When at least M! permutations are asked for, every
/// permutation is used once instead, which gives the exact Shapley values. Permutation p comes from the
/// stream (seed, image, p). Output [N,H,W]: each pixel holds its feature's value.
/// </summary>
public sealed class ShapleyValueSampling(ShapleySamplingOptions? options = null) : AttributionMethod
{
    public ShapleySamplingOptions Options { get; } = Validate(options ?? new ShapleySamplingOptions());

    public override string Name => "shapley-sampling";

    protected override IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>
    {
        ["samples"] = Options.Samples.ToString(),
        ["features"] = Options.Features.ToString(),
        ["baseline"] = Options.Baseline.Name,
        ["seed"] = Options.Seed.ToString(),
        ["batch-size"] = Options.BatchSize.ToString(),
    };

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var (imageShape, masks) = FeatureSampling.Prepare(input, Options.Features, Options.BatchSize);
        foreach (var mask in masks) SampleBudget.Check(Name, (long)Options.Samples * mask.Count, 4 + 4, "evaluations");
        var resolved = Targets.Resolve(model.Predict(input), targets);
        var baseline = Options.Baseline.For(input);
        int batch = input.Dim(0), plane = masks[0].Labels.Length, perImage = Batch.PerImage(input);
        var values = new Tensor(batch, masks[0].Height, masks[0].Width);
        for (int n = 0; n < batch; n++)
        {
            var mask = masks[n];
            int features = mask.Count;
            var orders = Permutations(n, features);
            int permutations = orders.Length / features;
            var x = input.Data.AsMemory(n * perImage, perImage);
            var b = baseline.Data.AsMemory(n * perImage, perImage);
            // Evaluation 0 is the baseline; 1 + p·M + j has the first j+1 features of permutation p on.
            var scores = PerturbedScores.Evaluate(model, imageShape, 1 + permutations * features, (i, destination) =>
            {
                var on = new bool[features];
                if (i > 0)
                {
                    int p = (i - 1) / features, j = (i - 1) % features;
                    for (int k = 0; k <= j; k++) on[orders[p * features + k]] = true;
                }
                FeatureCoalition.Write(mask, x.Span, b.Span, on, destination);
            }, resolved[n], Options.BatchSize, this);
            var phi = new double[features];
            for (int p = 0; p < permutations; p++)
                for (int j = 0; j < features; j++)
                {
                    int at = 1 + p * features + j;
                    phi[orders[p * features + j]] += scores[at] - (j == 0 ? scores[0] : scores[at - 1]);
                }
            for (int k = 0; k < features; k++) phi[k] /= permutations;
            FeatureCoalition.Spread(mask, phi, values.Data.AsSpan(n * plane, plane));
        }
        return Result(values, resolved);
    }

    /// <summary>All M! permutations in lexicographic order if Samples ≥ M!, else Samples seeded Fisher–Yates shuffles.</summary>
    private int[] Permutations(int image, int features)
    {
        long factorial = 1;
        for (int k = 2; k <= features && factorial <= Options.Samples; k++) factorial *= k;
        if (factorial <= Options.Samples)
        {
            var all = new List<int>();
            var current = Enumerable.Range(0, features).ToArray();
            do all.AddRange(current); while (NextPermutation(current));
            return all.ToArray();
        }
        var orders = new int[Options.Samples * features];
        for (int p = 0; p < Options.Samples; p++)
        {
            var random = new SeededRandom(Options.Seed, image, p);
            var order = orders.AsSpan(p * features, features);
            for (int k = 0; k < features; k++) order[k] = k;
            for (int k = features - 1; k > 0; k--)
            {
                int pick = random.NextInt(k + 1);
                (order[k], order[pick]) = (order[pick], order[k]);
            }
        }
        return orders;
    }

    private static bool NextPermutation(int[] a)
    {
        int i = a.Length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) i--;
        if (i < 0) return false;
        int j = a.Length - 1;
        while (a[j] <= a[i]) j--;
        (a[i], a[j]) = (a[j], a[i]);
        Array.Reverse(a, i + 1, a.Length - i - 1);
        return true;
    }

    private static ShapleySamplingOptions Validate(ShapleySamplingOptions options)
    {
        if (options.Samples < 1) throw new InvalidOptionException($"shapley-sampling: --samples must be at least 1, not {options.Samples}");
        if (options.BatchSize < 1) throw new InvalidOptionException($"shapley-sampling: --batch-size must be at least 1, not {options.BatchSize}");
        return options;
    }
}
