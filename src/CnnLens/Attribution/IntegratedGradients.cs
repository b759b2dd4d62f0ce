using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>Options of <see cref="IntegratedGradients"/> (CLI: --steps, --ig-method, --baseline, --batch-size).</summary>
public sealed record IntegratedGradientsOptions
{
    public int Steps { get; init; } = 50;

    public IntegrationRule Rule { get; init; } = IntegrationRule.GaussLegendre;

    public Baseline Baseline { get; init; } = Baseline.Zero;

    /// <summary>How many scaled inputs go through the network at once (bounds memory).</summary>
    public int BatchSize { get; init; } = 16;
}

/// <summary>
/// integrated-gradients (Sundararajan et al. 2017; Captum <c>IntegratedGradients</c>):
/// (x − x′) ⊙ Σ_k w_k ∇f(x′ + α_k (x − x′)). The reported convergence delta is
/// |Σ attribution − (f(x) − f(x′))| per image; it shrinks as steps grow.
/// </summary>
public sealed class IntegratedGradients(IntegratedGradientsOptions? options = null) : AttributionMethod
{
    public IntegratedGradientsOptions Options { get; } = Validate(options ?? new IntegratedGradientsOptions());

    public override string Name => "integrated-gradients";

    public override bool SupportsNeuronTargets => true;

    protected override IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>
    {
        ["steps"] = Options.Steps.ToString(),
        ["ig-method"] = IntegrationSteps.Name(Options.Rule),
        ["baseline"] = Options.Baseline.Name,
        ["batch-size"] = Options.BatchSize.ToString(),
    };

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var baseline = Options.Baseline.For(input);
        int batch = input.Dim(0), perImage = input.Length / batch;

        // f(x) and f(x′) in one pass: they give the targets and the completeness check.
        var endpoints = Batch.Concat(input, baseline);
        int[] resolved;
        double[] scoreAtInput, scoreAtBaseline;
        if (Neuron is not null)
        {
            var (scores, channels) = ExplainedScores(model, endpoints, null);
            (resolved, scoreAtInput, scoreAtBaseline) = (channels[..batch], scores[..batch], scores[batch..]);
        }
        else
        {
            var logits = model.Predict(endpoints);
            var inputLogits = Batch.Slice(logits, 0, batch);
            resolved = Targets.Resolve(inputLogits, targets);
            scoreAtInput = Targets.Scores(inputLogits, resolved);
            scoreAtBaseline = Targets.Scores(Batch.Slice(logits, batch, batch), resolved);
        }

        var (alphas, weights) = IntegrationSteps.For(Options.Rule, Options.Steps);
        var total = new double[input.Length];
        var difference = new float[input.Length];
        for (int i = 0; i < input.Length; i++) difference[i] = input.Data[i] - baseline.Data[i];

        // Work items are (step, image) pairs, evaluated BatchSize at a time.
        int items = alphas.Length * batch;
        for (int start = 0; start < items; start += Options.BatchSize)
        {
            int count = Math.Min(Options.BatchSize, items - start);
            var scaled = new Tensor([count, .. input.ShapeArray[1..]]);
            var chunkTargets = new int[count];
            for (int j = 0; j < count; j++)
            {
                int step = (start + j) / batch, image = (start + j) % batch;
                float alpha = (float)alphas[step];
                var target = scaled.Data.AsSpan(j * perImage, perImage);
                var from = baseline.Data.AsSpan(image * perImage, perImage);
                var delta = difference.AsSpan(image * perImage, perImage);
                for (int i = 0; i < perImage; i++) target[i] = from[i] + alpha * delta[i];
                chunkTargets[j] = resolved[image];
            }
            var (gradient, _, _) = InputGradient(model, scaled, chunkTargets);
            for (int j = 0; j < count; j++)
            {
                int step = (start + j) / batch, image = (start + j) % batch;
                double w = weights[step];
                var g = gradient.Data.AsSpan(j * perImage, perImage);
                var sum = total.AsSpan(image * perImage, perImage);
                for (int i = 0; i < perImage; i++) sum[i] += w * g[i];
            }
        }

        var values = new Tensor(input.ShapeArray);
        var convergence = new double[batch];
        for (int image = 0; image < batch; image++)
        {
            double attributionSum = 0;
            for (int i = image * perImage; i < (image + 1) * perImage; i++)
            {
                values.Data[i] = (float)(total[i] * difference[i]);
                attributionSum += values.Data[i];
            }
            convergence[image] = Math.Abs(attributionSum - (scoreAtInput[image] - scoreAtBaseline[image]));
        }
        return Result(values, resolved, delta: convergence);
    }

    private static IntegratedGradientsOptions Validate(IntegratedGradientsOptions options)
    {
        IntegrationSteps.For(options.Rule, options.Steps);
        if (options.BatchSize < 1) throw new InvalidOptionException($"--batch-size must be at least 1, got {options.BatchSize}");
        return options;
    }
}
