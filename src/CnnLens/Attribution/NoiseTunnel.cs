using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>Options of <see cref="NoiseTunnel"/> (CLI: --samples, --noise, --seed, --batch-size).</summary>
public sealed record NoiseTunnelOptions
{
    public int Samples { get; init; } = 25;

    /// <summary>Noise standard deviation as a fraction of each image's value range (max − min), as in Smilkov et al. 2017.</summary>
    public double Noise { get; init; } = 0.15;

    public long Seed { get; init; } = 0;

    public int BatchSize { get; init; } = 16;
}

/// <summary>
/// smoothgrad and vargrad (Captum <c>NoiseTunnel</c> with nt_type smoothgrad / vargrad): the mean,
/// or the variance, of a gradient method's attributions over noisy copies of the input. Noise for
/// (image, sample) comes from its own seeded stream, so batching never changes the numbers.
/// </summary>
public sealed class NoiseTunnel : AttributionMethod
{
    private readonly bool _variance;

    private NoiseTunnel(AttributionMethod inner, bool variance, NoiseTunnelOptions? options)
    {
        Inner = inner;
        _variance = variance;
        Options = options ?? new NoiseTunnelOptions();
        if (Options.Samples < 1) throw new InvalidOptionException($"--samples must be at least 1, got {Options.Samples}");
        if (Options.Noise < 0 || double.IsNaN(Options.Noise)) throw new InvalidOptionException($"--noise must be a fraction of the input range ≥ 0, got {Options.Noise}");
        if (Options.BatchSize < 1) throw new InvalidOptionException($"--batch-size must be at least 1, got {Options.BatchSize}");
    }

    public static NoiseTunnel SmoothGrad(AttributionMethod? inner = null, NoiseTunnelOptions? options = null) => new(inner ?? new Saliency(), false, options);

    public static NoiseTunnel VarGrad(AttributionMethod? inner = null, NoiseTunnelOptions? options = null) => new(inner ?? new Saliency(), true, options);

    public AttributionMethod Inner { get; }

    public NoiseTunnelOptions Options { get; }

    public override string Name => _variance ? "vargrad" : "smoothgrad";

    public override bool SupportsNeuronTargets => Inner.SupportsNeuronTargets;

    protected override IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>
    {
        ["over"] = Inner.Name,
        ["samples"] = Options.Samples.ToString(),
        ["noise"] = Options.Noise.ToString("G"),
        ["seed"] = Options.Seed.ToString(),
        ["batch-size"] = Options.BatchSize.ToString(),
    };

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var (_, resolved) = ExplainedScores(model, input, targets);
        Inner.Neuron = Neuron;
        int batch = input.Dim(0), perImage = Batch.PerImage(input);
        var sigma = new double[batch];
        for (int n = 0; n < batch; n++)
        {
            var image = input.Data.AsSpan(n * perImage, perImage);
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            foreach (float v in image) { min = Math.Min(min, v); max = Math.Max(max, v); }
            sigma[n] = Options.Noise * (max - min);
        }

        var sum = new double[input.Length];
        var sumOfSquares = new double[input.Length];
        int items = Options.Samples * batch;
        for (int start = 0; start < items; start += Options.BatchSize)
        {
            int count = Math.Min(Options.BatchSize, items - start);
            var noisy = new Tensor([count, .. input.ShapeArray[1..]]);
            var chunkTargets = new int[count];
            for (int j = 0; j < count; j++)
            {
                int sample = (start + j) / batch, image = (start + j) % batch;
                var random = new SeededRandom(Options.Seed, image, sample);
                var source = input.Data.AsSpan(image * perImage, perImage);
                var target = noisy.Data.AsSpan(j * perImage, perImage);
                for (int i = 0; i < perImage; i++) target[i] = source[i] + (float)(sigma[image] * random.NextGaussian());
                chunkTargets[j] = resolved[image];
            }
            var attribution = Inner.Attribute(model, noisy, chunkTargets).Values;
            for (int j = 0; j < count; j++)
            {
                int image = (start + j) % batch;
                var a = attribution.Data.AsSpan(j * perImage, perImage);
                for (int i = 0; i < perImage; i++)
                {
                    sum[image * perImage + i] += a[i];
                    sumOfSquares[image * perImage + i] += (double)a[i] * a[i];
                }
            }
        }

        var values = new Tensor(input.ShapeArray);
        for (int i = 0; i < values.Length; i++)
        {
            double mean = sum[i] / Options.Samples;
            values.Data[i] = (float)(_variance ? sumOfSquares[i] / Options.Samples - mean * mean : mean);
        }
        return Result(values, resolved);
    }
}
