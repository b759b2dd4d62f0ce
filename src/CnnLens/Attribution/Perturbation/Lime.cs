using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>Options of <see cref="Lime"/> (CLI: --samples, --features, --kernel-width, --baseline, --seed, --batch-size).</summary>
public sealed record LimeOptions
{
    /// <summary>Perturbed samples, the first being the unperturbed image (the lime package's default 1000).</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>The interpretable features (default: about 50 SLIC superpixels of each image).</summary>
    public FeatureMaskSource Features { get; init; } = FeatureMaskSource.DefaultSuperpixels;

    /// <summary>Width of the exponential kernel on the cosine distance (the lime package's image default 0.25).</summary>
    public double KernelWidth { get; init; } = 0.25;

    /// <summary>Ridge penalty of the surrogate (the lime package's scikit-learn Ridge default 1; 0: weighted least squares).</summary>
    public double Ridge { get; init; } = 1;

    /// <summary>What switched-off features become (zero, as Captum's Lime).</summary>
    public Baseline Baseline { get; init; } = Baseline.Zero;

    public long Seed { get; init; }

    public int BatchSize { get; init; } = 16;
}

/// <summary>
/// lime (Ribeiro et al. 2016, "Why Should I Trust You?"), with the lime package's image settings: sample 0
/// is all features on, the others switch each feature on with probability ½ (seeded stream (seed, image,
/// sample)); off features take the baseline. Each sample z is weighted by
/// √exp(−d²/width²), d the cosine distance between z and the all-ones vector, and a weighted ridge
/// regression with intercept is fitted to the target logits. The result [N,H,W] gives each pixel the
/// coefficient of its feature; <see cref="Attribution.SurrogateRSquared"/> holds the fit's weighted R².
/// </summary>
public sealed class Lime(LimeOptions? options = null) : AttributionMethod
{
    public LimeOptions Options { get; } = Validate(options ?? new LimeOptions());

    public override string Name => "lime";

    protected override IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>
    {
        ["samples"] = Options.Samples.ToString(),
        ["features"] = Options.Features.ToString(),
        ["kernel-width"] = Options.KernelWidth.ToString("G"),
        ["ridge"] = Options.Ridge.ToString("G"),
        ["baseline"] = Options.Baseline.Name,
        ["seed"] = Options.Seed.ToString(),
        ["batch-size"] = Options.BatchSize.ToString(),
    };

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var (imageShape, masks) = FeatureSampling.Prepare(input, Options.Features, Options.BatchSize);
        foreach (var mask in masks) SampleBudget.Check(Name, Options.Samples, mask.Count * 9L);
        var resolved = Targets.Resolve(model.Predict(input), targets);
        var baseline = Options.Baseline.For(input);
        int batch = input.Dim(0), plane = masks[0].Labels.Length;
        var values = new Tensor(batch, masks[0].Height, masks[0].Width);
        var fits = new double[batch];
        for (int n = 0; n < batch; n++)
        {
            var mask = masks[n];
            int features = mask.Count;
            var on = new bool[Options.Samples * features];
            for (int s = 0; s < Options.Samples; s++)
            {
                var random = new SeededRandom(Options.Seed, n, s);
                for (int k = 0; k < features; k++) on[s * features + k] = s == 0 || random.NextDouble() < 0.5;
            }
            var scores = FeatureSampling.Scores(model, input, baseline, n, mask, on, Options.Samples, resolved[n], Options.BatchSize, this);
            var design = new double[on.Length];
            var weights = new double[Options.Samples];
            for (int s = 0; s < Options.Samples; s++)
            {
                int active = 0;
                for (int k = 0; k < features; k++)
                    if (on[s * features + k])
                    {
                        design[s * features + k] = 1;
                        active++;
                    }
                // cosine(z, 1) = |z| / (√|z| √K) = √(|z|/K); scikit-learn treats the all-off vector as at distance 1.
                double distance = 1 - Math.Sqrt((double)active / features);
                weights[s] = Math.Sqrt(Math.Exp(-distance * distance / (Options.KernelWidth * Options.KernelWidth)));
            }
            var fit = WeightedLinearRegression.Fit(design, features, scores.Select(v => (double)v).ToArray(), weights, Options.Ridge);
            FeatureCoalition.Spread(mask, fit.Coefficients, values.Data.AsSpan(n * plane, plane));
            fits[n] = fit.RSquared;
        }
        return Result(values, resolved) with { SurrogateRSquared = fits };
    }

    private static LimeOptions Validate(LimeOptions options)
    {
        if (options.Samples < 1) throw new InvalidOptionException($"lime: --samples must be at least 1, not {options.Samples}");
        if (!(options.KernelWidth > 0) || double.IsInfinity(options.KernelWidth))
            throw new InvalidOptionException($"lime: --kernel-width must be a positive number, not {options.KernelWidth}");
        if (!(options.Ridge >= 0) || double.IsInfinity(options.Ridge)) throw new InvalidOptionException($"lime: the ridge penalty must be ≥ 0, not {options.Ridge}");
        if (options.BatchSize < 1) throw new InvalidOptionException($"lime: --batch-size must be at least 1, not {options.BatchSize}");
        return options;
    }
}
