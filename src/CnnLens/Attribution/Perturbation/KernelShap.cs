using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>Options of <see cref="KernelShap"/> (CLI: --samples, --features, --baseline, --seed, --batch-size).</summary>
public sealed record KernelShapOptions
{
    /// <summary>Model evaluations, counting the all-on and all-off coalitions.</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>The players (default: about 50 SLIC superpixels of each image).</summary>
    public FeatureMaskSource Features { get; init; } = FeatureMaskSource.DefaultSuperpixels;

    /// <summary>What absent features become (zero, as Captum's KernelShap).</summary>
    public Baseline Baseline { get; init; } = Baseline.Zero;

    public long Seed { get; init; }

    public int BatchSize { get; init; } = 16;
}

/// <summary>
/// kernel-shap (Lundberg and Lee 2017): coalition sizes k ∈ 1..M−1 are drawn with probability
/// ∝ (M−1)/(k(M−k)) (the Shapley kernel summed over the coalitions of each size) and the members
/// uniformly, as Captum's KernelShap does, so the samples carry equal weight. The efficiency constraint
/// Σφ = f(x) − f(baseline) is imposed exactly rather than through large weights: the last feature's
/// value is eliminated and the least-squares fit runs on the other M−1 (as the shap package does), with
/// the intercept fixed at f(baseline). A linear model gets its exact Shapley values. Output [N,H,W]:
/// each pixel holds its feature's value; <see cref="Attribution.SurrogateRSquared"/> is the fit's R² on the sampled coalitions.
/// </summary>
public sealed class KernelShap(KernelShapOptions? options = null) : AttributionMethod
{
    public KernelShapOptions Options { get; } = Validate(options ?? new KernelShapOptions());

    public override string Name => "kernel-shap";

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
        var (values, resolved, fits) = FeatureSampling.FitSurrogates(model, input, targets, Options.Features, Options.Baseline,
            Options.Samples, Options.BatchSize, this, (image, features) => Coalitions(image, features, Options.Samples), Solve);
        return Result(values, resolved) with { SurrogateRSquared = fits };
    }

    /// <summary>Row 0 all on, row 1 all off, then coalitions from the stream (seed, image, row).</summary>
    private bool[] Coalitions(int image, int features, int samples)
    {
        var on = new bool[samples * features];
        on.AsSpan(0, features).Fill(true);
        var sizeWeights = new double[features];
        double total = 0;
        for (int k = 1; k < features; k++) total += sizeWeights[k] = (features - 1.0) / (k * (double)(features - k));
        var order = new int[features];
        for (int s = 2; s < samples; s++)
        {
            var random = new SeededRandom(Options.Seed, image, s);
            double u = random.NextDouble() * total;
            int size = features - 1;
            for (int k = 1; k < features; k++)
            {
                u -= sizeWeights[k];
                if (u < 0)
                {
                    size = k;
                    break;
                }
            }
            // The first `size` entries of a partial Fisher–Yates shuffle: a uniform subset of that size.
            for (int k = 0; k < features; k++) order[k] = k;
            for (int k = 0; k < size; k++)
            {
                int pick = k + random.NextInt(features - k);
                (order[k], order[pick]) = (order[pick], order[k]);
                on[s * features + order[k]] = true;
            }
        }
        return on;
    }

    /// <summary>
    /// With φ_M = Δ − Σ_{k&lt;M} φ_k, Δ = f(all) − f(none): f(z) − f(none) − z_M·Δ = Σ_{k&lt;M} φ_k (z_k − z_M),
    /// an ordinary least-squares problem without intercept over the sampled coalitions.
    /// </summary>
    private static (double[] Phi, double RSquared) Solve(bool[] on, float[] scores, int features)
    {
        double all = scores[0], none = scores.Length > 1 ? scores[1] : scores[0], delta = all - none;
        var phi = new double[features];
        int rows = scores.Length - 2;
        if (features == 1 || rows < 1)
        {
            // One player takes everything; with no sampled coalitions the split is even.
            for (int k = 0; k < features; k++) phi[k] = delta / features;
            return (phi, 1);
        }
        int columns = features - 1;
        var design = new double[rows * columns];
        var targets = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            int s = r + 2;
            double last = on[s * features + columns] ? 1 : 0;
            for (int k = 0; k < columns; k++) design[r * columns + k] = (on[s * features + k] ? 1 : 0) - last;
            targets[r] = scores[s] - none - last * delta;
        }
        var fit = WeightedLinearRegression.Fit(design, columns, targets, Enumerable.Repeat(1.0, rows).ToArray(), intercept: false);
        double rest = delta;
        for (int k = 0; k < columns; k++) rest -= phi[k] = fit.Coefficients[k];
        phi[columns] = rest;

        // R² of the surrogate f(none) + Σ φ_k z_k against the sampled scores.
        double mean = 0, residual = 0, spread = 0;
        for (int r = 0; r < rows; r++) mean += scores[r + 2];
        mean /= rows;
        for (int r = 0; r < rows; r++)
        {
            int s = r + 2;
            double predicted = none;
            for (int k = 0; k < features; k++) if (on[s * features + k]) predicted += phi[k];
            residual += (scores[s] - predicted) * (scores[s] - predicted);
            spread += (scores[s] - mean) * (scores[s] - mean);
        }
        double tiny = 1e-24 * Math.Max(1, mean * mean) * rows;
        return (phi, spread <= tiny ? (residual <= tiny ? 1 : 0) : 1 - residual / spread);
    }

    private static KernelShapOptions Validate(KernelShapOptions options)
    {
        if (options.Samples < 2) throw new InvalidOptionException($"kernel-shap: --samples must be at least 2 (the all-on and all-off coalitions), not {options.Samples}");
        if (options.BatchSize < 1) throw new InvalidOptionException($"kernel-shap: --batch-size must be at least 1, not {options.BatchSize}");
        return options;
    }
}
