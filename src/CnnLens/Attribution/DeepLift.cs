using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// deeplift (Shrikumar et al. 2017, rescale rule; Captum <c>DeepLift</c>): (x − x′) ⊙ multipliers,
/// with the multipliers from one reverse pass of <see cref="DeepLiftRule"/> over a forward of
/// [x; x′]. Summation-to-delta holds exactly; its error is reported as the convergence delta.
/// </summary>
public sealed class DeepLift(Baseline? baseline = null) : AttributionMethod
{
    public Baseline Baseline { get; } = baseline ?? Baseline.Zero;

    public override string Name => "deeplift";

    protected override IReadOnlyDictionary<string, string> DescribeOptions() =>
        new Dictionary<string, string> { ["baseline"] = Baseline.Name };

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var (values, delta, resolved) = Explain(model, input, Baseline.For(input), targets);
        return Result(values, resolved, delta: delta);
    }

    /// <summary>DeepLIFT against one reference tensor of the input's shape; shared with deeplift-shap.</summary>
    internal static (Tensor Values, double[] Delta, int[] Targets) Explain(Model model, Tensor input, Tensor reference, int[]? targets)
    {
        int batch = input.Dim(0), perImage = Batch.PerImage(input);
        var forward = model.Executor.RunAll(Batch.Concat(input, reference));
        var logits = forward[model.Graph.SlotOf(model.LogitsName)]!;
        var resolved = Targets.Resolve(Batch.Slice(logits, 0, batch), targets);
        var seed = new Tensor(logits.ShapeArray);
        int classes = logits.Dim(1);
        for (int n = 0; n < batch; n++) seed.Data[n * classes + resolved[n]] = 1;
        var rule = new DeepLiftRule(model.Graph);
        var multipliers = ReversePass.Run(model.Graph, forward, model.LogitsName, seed, [model.InputName], rule.Composite)[model.InputName];

        var values = new Tensor(input.ShapeArray);
        var delta = new double[batch];
        for (int n = 0; n < batch; n++)
        {
            double sum = 0;
            for (int i = n * perImage; i < (n + 1) * perImage; i++)
            {
                values.Data[i] = (input.Data[i] - reference.Data[i]) * multipliers.Data[i];
                sum += values.Data[i];
            }
            double expected = logits.Data[n * classes + resolved[n]] - logits.Data[(batch + n) * classes + resolved[n]];
            delta[n] = Math.Abs(sum - expected);
        }
        return (values, delta, resolved);
    }
}
