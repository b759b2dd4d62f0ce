using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>Options of <see cref="GradientShap"/> (CLI: --samples, --noise, --seed, --batch-size, --baseline).</summary>
public sealed record GradientShapOptions
{
    public int Samples { get; init; } = 25;

    /// <summary>Gaussian noise added to each sampled point, as a fraction of the image's value range (Captum's stdevs, default 0).</summary>
    public double Noise { get; init; }

    public long Seed { get; init; }

    public int BatchSize { get; init; } = 16;

    public BaselineSet Baselines { get; init; } = BaselineSet.Default;
}

/// <summary>
/// gradient-shap (expected gradients; Captum <c>GradientShap</c>): the mean over samples of
/// ∇f(x′ + α(x − x′)) ⊙ (x − x′), with x′ drawn from the baseline set and α ~ U(0, 1). Each
/// (image, sample) draws from its own seeded stream, so batching does not change the numbers.
/// </summary>
public sealed class GradientShap(GradientShapOptions? options = null) : AttributionMethod
{
    public GradientShapOptions Options { get; } = Validate(options ?? new GradientShapOptions());

    public override string Name => "gradient-shap";

    protected override IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>
    {
        ["samples"] = Options.Samples.ToString(),
        ["noise"] = Options.Noise.ToString("G"),
        ["seed"] = Options.Seed.ToString(),
        ["baseline"] = Options.Baselines.Name,
        ["batch-size"] = Options.BatchSize.ToString(),
    };

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var resolved = Targets.Resolve(model.Predict(input), targets);
        int batch = input.Dim(0), perImage = Batch.PerImage(input);
        var references = Options.Baselines.Members.Select(b => b.For(input)).ToArray();
        var sum = new double[input.Length];
        int items = Options.Samples * batch;
        for (int start = 0; start < items; start += Options.BatchSize)
        {
            int count = Math.Min(Options.BatchSize, items - start);
            var points = new Tensor([count, .. input.ShapeArray[1..]]);
            var chunkTargets = new int[count];
            var chosen = new int[count];
            for (int j = 0; j < count; j++)
            {
                int sample = (start + j) / batch, image = (start + j) % batch;
                var random = new SeededRandom(Options.Seed, image, sample);
                chosen[j] = random.NextInt(references.Length);
                float alpha = (float)random.NextDouble();
                var reference = references[chosen[j]].Data.AsSpan(image * perImage, perImage);
                var x = input.Data.AsSpan(image * perImage, perImage);
                var point = points.Data.AsSpan(j * perImage, perImage);
                double sigma = Options.Noise * Range(x);
                for (int i = 0; i < perImage; i++)
                    point[i] = reference[i] + alpha * (x[i] - reference[i]) + (float)(sigma * (sigma > 0 ? random.NextGaussian() : 0));
                chunkTargets[j] = resolved[image];
            }
            var (gradient, _, _) = Gradients.OfInput(model, points, chunkTargets);
            for (int j = 0; j < count; j++)
            {
                int image = (start + j) % batch;
                var reference = references[chosen[j]].Data;
                for (int i = 0; i < perImage; i++)
                {
                    int at = image * perImage + i;
                    sum[at] += gradient.Data[j * perImage + i] * (input.Data[at] - reference[at]);
                }
            }
        }
        var values = new Tensor(input.ShapeArray);
        for (int i = 0; i < values.Length; i++) values.Data[i] = (float)(sum[i] / Options.Samples);
        return Result(values, resolved);
    }

    private static double Range(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values) { min = Math.Min(min, v); max = Math.Max(max, v); }
        return max - min;
    }

    private static GradientShapOptions Validate(GradientShapOptions options)
    {
        if (options.Samples < 1) throw new InvalidOptionException($"--samples must be at least 1, got {options.Samples}");
        if (options.BatchSize < 1) throw new InvalidOptionException($"--batch-size must be at least 1, got {options.BatchSize}");
        if (options.Noise < 0 || double.IsNaN(options.Noise)) throw new InvalidOptionException($"--noise must be ≥ 0, got {options.Noise}");
        return options;
    }
}
