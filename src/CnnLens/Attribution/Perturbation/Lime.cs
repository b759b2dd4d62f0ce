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
        var (values, resolved, fits) = FeatureSampling.FitSurrogates(model, input, targets, Options.Features, Options.Baseline,
            Options.Samples, Options.BatchSize, this, Coalitions, Fit);
        return Result(values, resolved) with { SurrogateRSquared = fits };
    }

    /// <summary>Row 0 all on; each feature of the other rows on with probability ½, from the stream (seed, image, row).</summary>
    private bool[] Coalitions(int image, int features)
    {
        var on = new bool[Options.Samples * features];
        for (int s = 0; s < Options.Samples; s++)
        {
            var random = new SeededRandom(Options.Seed, image, s);
            for (int k = 0; k < features; k++) on[s * features + k] = s == 0 || random.NextDouble() < 0.5;
        }
        return on;
    }

    /// <summary>The weighted ridge regression with intercept of the scores on the rows; its coefficients and weighted R².</summary>
    private (double[] Values, double RSquared) Fit(bool[] on, float[] scores, int features)
    {
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
        return (fit.Coefficients, fit.RSquared);
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
