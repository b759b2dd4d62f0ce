using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// An ONNX graph made executable: validated (every op supported, one float image input),
/// constants folded, nodes in topological order with only those the outputs need, and every
/// tensor given an integer slot so execution never looks names up.
/// </summary>
public sealed class ComputationGraph
{
    private readonly Dictionary<string, int> _slotOf;

    private ComputationGraph(
        List<GraphNode> nodes, Dictionary<string, int> slotOf, Tensor?[] constants,
        OnnxValueInfo input, string[] outputNames)
    {
        Nodes = nodes;
        _slotOf = slotOf;
        Constants = constants;
        Input = input;
        OutputNames = outputNames;
        SlotNames = new string[slotOf.Count];
        foreach (var (name, slot) in slotOf) SlotNames[slot] = name;
        InputSlot = slotOf[input.Name];
        OutputSlots = outputNames.Select(n => slotOf[n]).ToArray();
        ConsumerCount = new int[slotOf.Count];
        foreach (var node in nodes)
            foreach (int s in node.InputSlots)
                if (s >= 0) ConsumerCount[s]++;
        Producer = new GraphNode?[slotOf.Count];
        foreach (var node in nodes)
            foreach (int s in node.OutputSlots)
                if (s >= 0) Producer[s] = node;
        ShapeStatic = FindShapeStaticSlots();
    }

    /// <summary>Nodes that run, in an order where every input is computed before use.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    /// <summary>The image input (graph inputs that are also initializers are constants, not inputs).</summary>
    public OnnxValueInfo Input { get; }

    public string[] OutputNames { get; }

    internal int InputSlot { get; }

    internal int[] OutputSlots { get; }

    /// <summary>Constant value per slot (weights and folded sub-graphs); null for computed tensors.</summary>
    internal Tensor?[] Constants { get; }

    internal string[] SlotNames { get; }

    /// <summary>How many node inputs read each slot: a tensor is released after its last reader.</summary>
    internal int[] ConsumerCount { get; }

    internal GraphNode?[] Producer { get; }

    /// <summary>
    /// Slots whose value is fixed once the input shape is fixed: outputs of Shape-like ops and of
    /// nodes fed only by constants and such slots. They are computed once per input shape.
    /// </summary>
    internal bool[] ShapeStatic { get; }

    public int SlotCount => SlotNames.Length;

    /// <summary>Activation and gradient buffers reused across this graph's passes (see <see cref="TensorPool"/>).</summary>
    public TensorPool Pool { get; } = new();

    public bool HasTensor(string name) => _slotOf.ContainsKey(name);

    internal int SlotOf(string name) =>
        _slotOf.TryGetValue(name, out int slot) ? slot : throw new CnnLensException($"tensor '{name}' is not in the model");

    /// <summary>All tensor names computed by nodes (excluding constants), in execution order.</summary>
    public IEnumerable<string> ComputedTensorNames =>
        Nodes.SelectMany(n => n.OutputSlots).Where(s => s >= 0 && !ShapeStatic[s]).Select(s => SlotNames[s]);

    /// <summary>Builds the executable graph, reporting every problem that stops it from running at once.</summary>
    public static ComputationGraph Build(OnnxModel model)
    {
        var graph = model.Graph;
        int opset = model.DefaultOpset;

        var unsupported = graph.Nodes
            .Where(n => !IsDefaultDomain(n.Domain) || !OperatorRegistry.IsSupported(n.OpType))
            .Select(n => $"{(IsDefaultDomain(n.Domain) ? "" : n.Domain + ".")}{n.OpType} (node '{n.Name}')")
            .ToList();
        if (unsupported.Count > 0)
            throw new UnsupportedOperatorException(
                $"the model uses {unsupported.Count} unsupported operator node(s): {string.Join(", ", unsupported.Take(20))}" +
                (unsupported.Count > 20 ? $" and {unsupported.Count - 20} more" : "") +
                $"; supported: {string.Join(" ", OperatorRegistry.SupportedOpTypes)}");

        var realInputs = graph.Inputs.Where(i => !graph.Initializers.ContainsKey(i.Name)).ToList();
        if (realInputs.Count == 0)
            throw new ModelLoadException("the model has no input (every graph input is a weight); export it with an image input");
        if (realInputs.Count > 1)
            throw new ModelLoadException(
                $"the model has {realInputs.Count} inputs ({string.Join(", ", realInputs.Select(i => i.Name))}); CnnLens explains models with one image input");
        var input = realInputs[0];
        if (input.ElementType is not (OnnxElementType.Float or OnnxElementType.Undefined))
            throw new ModelLoadException(
                $"input '{input.Name}' has element type {input.ElementType}; CnnLens needs a float32 image input (re-export with a float input)");
        if (graph.Outputs.Count == 0) throw new ModelLoadException("the model declares no output");

        var slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
        int Slot(string name)
        {
            if (!slotOf.TryGetValue(name, out int s)) slotOf[name] = s = slotOf.Count;
            return s;
        }

        var constants = new Dictionary<string, Tensor>(graph.Initializers, StringComparer.Ordinal);
        var producers = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
            foreach (var output in node.Outputs)
                if (output.Length > 0 && !producers.TryAdd(output, node))
                    throw new ModelLoadException($"tensor '{output}' is produced by two nodes; the model file is invalid");

        var outputNames = graph.Outputs.Select(o => o.Name).ToArray();
        var ordered = TopologicalOrder(graph, producers, outputNames, input.Name, constants);
        var operators = ordered.ToDictionary(n => n, n => OperatorRegistry.Create(n, opset));

        ConstantFolding.Fold(ordered, operators, constants);

        var nodes = new List<GraphNode>();
        Slot(input.Name);
        foreach (var node in ordered)
        {
            if (node.Outputs.All(o => o.Length == 0 || constants.ContainsKey(o))) continue;
            var inSlots = node.Inputs.Select(n => n.Length == 0 ? -1 : Slot(n)).ToArray();
            var outSlots = node.Outputs.Select(n => n.Length == 0 ? -1 : Slot(n)).ToArray();
            nodes.Add(new GraphNode(node, operators[node], inSlots, outSlots));
        }
        foreach (var name in outputNames) Slot(name);

        var constantSlots = new Tensor?[slotOf.Count];
        foreach (var (name, slot) in slotOf)
            if (constants.TryGetValue(name, out var value)) constantSlots[slot] = value;

        return new ComputationGraph(nodes, slotOf, constantSlots, input, outputNames);
    }

    private static bool IsDefaultDomain(string domain) => domain is "" or "ai.onnx";

    /// <summary>Depth-first from the outputs: keeps only needed nodes and rejects cycles and dangling names.</summary>
    private static List<OnnxNode> TopologicalOrder(
        OnnxGraph graph, Dictionary<string, OnnxNode> producers, string[] outputs, string inputName,
        Dictionary<string, Tensor> constants)
    {
        var order = new List<OnnxNode>();
        var state = new Dictionary<OnnxNode, int>(ReferenceEqualityComparer.Instance); // 1 visiting, 2 done
        var stack = new Stack<(OnnxNode Node, int NextInput)>();

        void Require(string tensor, OnnxNode? consumer)
        {
            if (tensor.Length == 0 || tensor == inputName || constants.ContainsKey(tensor)) return;
            if (!producers.TryGetValue(tensor, out var producer))
                throw new ModelLoadException(consumer is null
                    ? $"graph output '{tensor}' is not produced by any node"
                    : $"node '{consumer.Name}' ({consumer.OpType}) reads tensor '{tensor}', which nothing produces; the model file is invalid");
            if (state.TryGetValue(producer, out int s))
            {
                if (s == 1) throw new ModelLoadException($"the graph has a cycle through node '{producer.Name}'");
                return;
            }
            state[producer] = 1;
            stack.Push((producer, 0));
        }

        foreach (var output in outputs)
        {
            Require(output, null);
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < node.Inputs.Length)
                {
                    stack.Push((node, next + 1));
                    Require(node.Inputs[next], node);
                    continue;
                }
                state[node] = 2;
                order.Add(node);
            }
        }
        return order;
    }

    private bool[] FindShapeStaticSlots()
    {
        var isStatic = new bool[SlotCount];
        for (int s = 0; s < SlotCount; s++) isStatic[s] = Constants[s] is not null;
        foreach (var node in Nodes)
        {
            bool nodeStatic = node.Operator.IsShapeOperator ||
                              node.InputSlots.All(s => s < 0 || isStatic[s]);
            if (nodeStatic)
                foreach (int s in node.OutputSlots)
                    if (s >= 0) isStatic[s] = true;
        }
        for (int s = 0; s < SlotCount; s++) if (Constants[s] is not null) isStatic[s] = false;
        return isStatic;
    }
}
