using System.Globalization;
using System.Runtime.CompilerServices;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// lrp (Bach et al. 2015; Montavon et al. 2019; Zennit): the target logit is handed back layer by
/// layer as relevance, each layer's share split by its LRP rule (<see cref="LrpComposite"/>), after
/// batch norms are folded into their convolutions (<see cref="LrpCanonizer"/>). The attribution is
/// the relevance at the input; with conserving rules it sums to the target logit (the gap is
/// reported as the convergence delta).
/// </summary>
public sealed class LayerwiseRelevancePropagation(LrpOptions? options = null) : AttributionMethod
{
    private static readonly ConditionalWeakTable<Model, Model> Canonized = new();

    public LrpOptions Options { get; } = Validated(options ?? new LrpOptions());

    public override string Name => "lrp";

    protected override IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>
    {
        ["rule"] = LrpOptions.RuleName(Options.Rule),
        ["epsilon"] = Options.Epsilon.ToString("R", CultureInfo.InvariantCulture),
        ["gamma"] = Options.Gamma.ToString("R", CultureInfo.InvariantCulture),
        ["alpha"] = Options.Alpha.ToString("R", CultureInfo.InvariantCulture),
        ["beta"] = Options.Beta.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>The model with batch norms folded into their layers, built once per model.</summary>
    public static Model CanonizedFor(Model model) =>
        Canonized.GetValue(model, m => Model.FromOnnx(LrpCanonizer.FoldBatchNorms(m.Onnx), m.Name));

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var canonized = CanonizedFor(model);
        var values = canonized.Executor.RunAll(input);
        var logits = values[canonized.Graph.SlotOf(canonized.LogitsName)]!;
        var resolved = Targets.Resolve(logits, targets);
        var seed = Targets.OneHotSeed(logits, resolved);
        var scores = Targets.Scores(logits, resolved);
        for (int i = 0; i < seed.Length; i++) seed.Data[i] *= logits.Data[i];

        var composite = new LrpComposite(canonized.Graph, Options).Composite;
        var relevance = ReversePass.Run(canonized.Graph, values, canonized.LogitsName, seed, [canonized.InputName], composite)[canonized.InputName];

        int perImage = Batch.PerImage(input);
        var delta = new double[input.Dim(0)];
        for (int n = 0; n < delta.Length; n++)
        {
            double sum = 0;
            for (int i = n * perImage; i < (n + 1) * perImage; i++) sum += relevance.Data[i];
            delta[n] = Math.Abs(sum - scores[n]);
        }
        return Result(relevance, resolved, delta: delta);
    }

    private static LrpOptions Validated(LrpOptions options)
    {
        options.Validate();
        return options;
    }
}
