using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// deeplift-shap (Lundberg &amp; Lee 2017; Captum <c>DeepLiftShap</c>): DeepLIFT against each baseline
/// of a set, averaged. Summation-to-delta holds against the mean of the baseline outputs; the
/// convergence delta reports its error.
/// </summary>
public sealed class DeepLiftShap(BaselineSet? baselines = null) : AttributionMethod
{
    public BaselineSet Baselines { get; } = baselines ?? BaselineSet.Default;

    public override string Name => "deeplift-shap";

    protected override IReadOnlyDictionary<string, string> DescribeOptions() =>
        new Dictionary<string, string> { ["baseline"] = Baselines.Name };

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var sum = new double[input.Length];
        var delta = new double[input.Dim(0)];
        int[] resolved = targets ?? [];
        foreach (var baseline in Baselines.Members)
        {
            var (values, memberDelta, memberTargets) = DeepLift.Explain(model, input, baseline.For(input), targets);
            resolved = memberTargets;
            targets = memberTargets; // every baseline explains the same classes
            for (int i = 0; i < sum.Length; i++) sum[i] += values.Data[i];
            for (int n = 0; n < delta.Length; n++) delta[n] += memberDelta[n] / Baselines.Members.Count;
        }
        var result = new Tensor(input.ShapeArray);
        for (int i = 0; i < sum.Length; i++) result.Data[i] = (float)(sum[i] / Baselines.Members.Count);
        return Result(result, resolved, delta: delta);
    }
}
