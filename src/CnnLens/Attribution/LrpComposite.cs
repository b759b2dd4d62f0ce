using CnnLens.Graph;

namespace CnnLens.Attribution;

/// <summary>
/// Chooses the LRP rule of every node. Weighted layers (Conv, ConvTranspose, Gemm, MatMul with
/// constant weights) get the chosen rule; with <see cref="LrpRuleChoice.Composite"/> the first
/// weighted layer gets flat, other convolutions z-plus and dense layers epsilon (Zennit's
/// EpsilonPlusFlat). Activations pass relevance through, shape and selection ops route it by their
/// ordinary backward (max pooling: winner takes all), other linear ops use the z-rule. Any other op
/// is an error: an LRP rule on an op it cannot handle must not give wrong numbers.
/// </summary>
public sealed class LrpComposite
{
    private static readonly HashSet<string> Weighted = ["Conv", "ConvTranspose", "Gemm", "MatMul"];

    private static readonly HashSet<string> PassThrough =
        ["Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "Tanh", "HardSwish", "Identity", "Dropout"];

    private static readonly HashSet<string> Routing =
        ["Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Concat", "Split", "Slice", "Gather", "MaxPool", "GlobalMaxPool"];

    private static readonly HashSet<string> Linear =
        ["AveragePool", "GlobalAveragePool", "Add", "Sub", "Sum", "BatchNormalization", "Pad", "ReduceMean", "ReduceSum"];

    private readonly ComputationGraph _graph;
    private readonly LrpOptions _options;
    private readonly GraphNode? _firstLayer;
    private readonly LrpZRule _zRule;
    private readonly Dictionary<LrpLayerRuleKind, LrpLayerRule> _layerRules = new();

    public LrpComposite(ComputationGraph graph, LrpOptions options)
    {
        _graph = graph;
        _options = options;
        _zRule = new LrpZRule(graph, (float)options.Epsilon);
        _firstLayer = graph.Nodes.FirstOrDefault(n => Weighted.Contains(n.OpType) && IsWeighted(n));
        foreach (var kind in Enum.GetValues<LrpLayerRuleKind>()) _layerRules[kind] = new LrpLayerRule(kind, options);
    }

    /// <summary>Every op type with an LRP rule.</summary>
    public static IEnumerable<string> SupportedOps =>
        Weighted.Concat(PassThrough).Concat(Routing).Concat(Linear).Append("Mul (by a constant)").Append("Div (by a constant)").Order();

    /// <summary>The rule chosen for a weighted node (for tests and reports).</summary>
    public LrpLayerRuleKind LayerRuleOf(GraphNode node) => _options.Rule switch
    {
        LrpRuleChoice.Epsilon => LrpLayerRuleKind.Epsilon,
        LrpRuleChoice.Gamma => LrpLayerRuleKind.Gamma,
        LrpRuleChoice.AlphaBeta => LrpLayerRuleKind.AlphaBeta,
        LrpRuleChoice.ZPlus => LrpLayerRuleKind.ZPlus,
        _ => node == _firstLayer ? LrpLayerRuleKind.Flat
            : node.OpType is "Conv" or "ConvTranspose" ? LrpLayerRuleKind.ZPlus
            : LrpLayerRuleKind.Epsilon,
    };

    public BackwardComposite Composite => node =>
    {
        if (Weighted.Contains(node.OpType))
            return IsWeighted(node) ? _layerRules[LayerRuleOf(node)] : throw Unsupported(node, "its weights are computed from the image");
        if (PassThrough.Contains(node.OpType)) return LrpPassThroughRule.Instance;
        if (Routing.Contains(node.OpType)) return null;
        if (Linear.Contains(node.OpType)) return _zRule;
        if (node.OpType is "Mul" or "Div")
            return VaryingInputs(node) <= 1 && (node.OpType == "Mul" || !Varies(node, 1)) ? _zRule
                : throw Unsupported(node, node.OpType == "Mul" ? "it multiplies two tensors computed from the image" : "it divides by a tensor computed from the image");
        throw Unsupported(node, "no LRP rule exists for it");
    };

    private bool IsWeighted(GraphNode node) => Varies(node, 0) && !Varies(node, 1);

    private int VaryingInputs(GraphNode node) => Enumerable.Range(0, node.InputSlots.Length).Count(i => Varies(node, i));

    private bool Varies(GraphNode node, int index)
    {
        int slot = index < node.InputSlots.Length ? node.InputSlots[index] : -1;
        return slot >= 0 && _graph.Constants[slot] is null && !_graph.ShapeStatic[slot];
    }

    private static UnsupportedOperatorException Unsupported(GraphNode node, string why) =>
        new($"LRP cannot handle {node.OpType} node '{node.Name}': {why}; supported: {string.Join(", ", SupportedOps)}");
}
