using System.Collections.Concurrent;
using CnnLens.Graph.Operators;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// Runs a <see cref="ComputationGraph"/>. Tensors live in slots and are dropped after their last
/// reader unless kept, so peak memory is the weights plus the live activations. The part of the
/// graph that depends only on the input's shape is computed on the first run for each input shape
/// and then reused, so later runs execute only real compute.
/// </summary>
public sealed class Executor(ComputationGraph graph)
{
    private const int MaxCachedShapes = 32;
    private readonly ConcurrentDictionary<string, Tensor?[]> _shapeStaticValues = new();

    public ComputationGraph Graph { get; } = graph;

    private long _runs;

    /// <summary>How many forward passes this executor has run (diagnostics: shows when a forward is shared).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>
    /// Runs the graph. <paramref name="keep"/> names tensors to return besides the outputs
    /// (null: none; use <see cref="RunAll"/> to keep everything).
    /// </summary>
    public ForwardResult Run(Tensor input, IEnumerable<string>? keep = null)
    {
        var keepSlots = new bool[Graph.SlotCount];
        foreach (var name in keep ?? []) keepSlots[Graph.SlotOf(name)] = true;
        foreach (int s in Graph.OutputSlots) keepSlots[s] = true;
        // Activations come from the graph's pool and go back after their last reader; kept tensors
        // stay rented (they leave with the result), so nothing the caller holds is ever recycled.
        var scope = Graph.Pool.NewScope();
        var values = RunSlots(input, keepSlots, scope);
        return Collect(values, keepSlots);
    }

    /// <summary>Runs the graph keeping every tensor (what a reverse pass needs).</summary>
    public Tensor?[] RunAll(Tensor input)
    {
        var keepSlots = new bool[Graph.SlotCount];
        Array.Fill(keepSlots, true);
        return RunSlots(input, keepSlots);
    }

    /// <summary>
    /// <see cref="RunAll"/> with every activation rented from the graph's pool: disposing the result
    /// gives them all back, so the caller must not use (or return) any of them afterwards.
    /// </summary>
    internal PooledForward RunAllPooled(Tensor input)
    {
        var keepSlots = new bool[Graph.SlotCount];
        Array.Fill(keepSlots, true);
        var scope = Graph.Pool.NewScope();
        return new PooledForward(RunSlots(input, keepSlots, scope), scope);
    }

    /// <summary>
    /// <see cref="RunAllPooled"/> computing only what <paramref name="tensors"/> depend on: layers after
    /// them (and the logits) are skipped, their slots stay null. For reverse passes that start inside the network.
    /// </summary>
    internal PooledForward RunPooledUpTo(Tensor input, IEnumerable<string> tensors)
    {
        var keepSlots = new bool[Graph.SlotCount];
        Array.Fill(keepSlots, true);
        var scope = Graph.Pool.NewScope();
        return new PooledForward(RunSlots(input, keepSlots, scope, NodesFeeding(tensors)), scope);
    }

    /// <summary>The nodes whose outputs <paramref name="tensors"/> depend on.</summary>
    private HashSet<GraphNode> NodesFeeding(IEnumerable<string> tensors)
    {
        var needed = new HashSet<GraphNode>();
        var pending = new Stack<int>(tensors.Select(Graph.SlotOf));
        while (pending.Count > 0)
            if (Graph.Producer[pending.Pop()] is { } node && needed.Add(node))
                foreach (int s in node.InputSlots)
                    if (s >= 0) pending.Push(s);
        return needed;
    }

    internal ForwardResult Collect(Tensor?[] values, bool[] keepSlots)
    {
        var kept = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int s = 0; s < values.Length; s++)
            if (keepSlots[s] && values[s] is { } t) kept[Graph.SlotNames[s]] = t;
        return new ForwardResult(kept, Graph.OutputNames);
    }

    internal Tensor?[] RunSlots(Tensor input, bool[] keepSlots, TensorPoolScope? scope = null, HashSet<GraphNode>? only = null)
    {
        using var active = scope is null ? TensorPoolScope.Suspend() : scope.Activate();
        CheckInput(input);
        Interlocked.Increment(ref _runs);
        var values = (Tensor?[])Graph.Constants.Clone();
        values[Graph.InputSlot] = input;
        var remaining = (int[])Graph.ConsumerCount.Clone();
        string shapeKey = Tensor.ShapeString(input.Shape);
        _shapeStaticValues.TryGetValue(shapeKey, out var staticValues);
        bool recordStatic = staticValues is null;
        if (staticValues is not null)
            for (int s = 0; s < values.Length; s++)
                if (staticValues[s] is { } v) values[s] = v;

        foreach (var node in Graph.Nodes)
        {
            if (only is not null && !only.Contains(node)) continue;
            bool alreadyKnown = !recordStatic && node.OutputSlots.All(s => s < 0 || Graph.ShapeStatic[s]);
            if (alreadyKnown) { }
            else if (scope is null || node.OutputSlots.Any(s => s >= 0 && Graph.ShapeStatic[s]))
            {
                // Shape values are cached per input shape beyond this run: never from the pool.
                using (TensorPoolScope.Suspend()) Execute(node, values);
            }
            else
            {
                if (node.Operator is not IInPlaceOperator inPlace || !TryInPlace(node, inPlace, values, remaining, keepSlots, scope))
                    Execute(node, values);
                foreach (int s in node.OutputSlots)
                    if (s >= 0 && values[s] is { } v) scope.Hold(v);
            }
            foreach (int s in node.InputSlots)
            {
                if (s < 0 || --remaining[s] > 0 || keepSlots[s] || Graph.Constants[s] is not null || Graph.ShapeStatic[s]) continue;
                if (scope is not null && values[s] is { } dead) scope.Release(dead);
                values[s] = null; // last reader done: let the activation go (shape values are tiny and reused per shape)
            }
        }

        // A partial run leaves shape values of skipped nodes out: only whole runs fill the cache.
        if (recordStatic && only is null && _shapeStaticValues.Count < MaxCachedShapes)
        {
            var captured = new Tensor?[values.Length];
            bool any = false;
            for (int s = 0; s < values.Length; s++)
                if (Graph.ShapeStatic[s] && values[s] is { } v) { captured[s] = v; any = true; }
            if (any || Graph.Nodes.Count > 0) _shapeStaticValues.TryAdd(shapeKey, captured);
        }
        return values;
    }

    /// <summary>
    /// Runs a node over an input it may overwrite: one this node is the last reader of, not kept, and
    /// a pooled buffer of this pass that no other tensor shares. False when there is none or the op declines.
    /// </summary>
    private static bool TryInPlace(GraphNode node, IInPlaceOperator op, Tensor?[] values, int[] remaining, bool[] keepSlots, TensorPoolScope scope)
    {
        if (node.OutputSlots.Length != 1 || node.OutputSlots[0] < 0) return false;
        var overwritable = new bool[node.InputSlots.Length];
        bool any = false;
        for (int i = 0; i < overwritable.Length; i++)
        {
            int s = node.InputSlots[i];
            overwritable[i] = s >= 0 && remaining[s] == 1 && !keepSlots[s] && values[s] is { } v && scope.HeldOnce(v);
            any |= overwritable[i];
        }
        if (!any) return false;
        var inputs = new Tensor?[node.InputSlots.Length];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = node.InputSlots[i] < 0 ? null : values[node.InputSlots[i]];
        if (op.TryForwardInPlace(inputs, overwritable) is not { } output) return false;
        values[node.OutputSlots[0]] = output;
        return true;
    }

    /// <summary>Runs one node on the current slot values and stores its outputs.</summary>
    internal static void Execute(GraphNode node, Tensor?[] values)
    {
        var inputs = new Tensor?[node.InputSlots.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            int s = node.InputSlots[i];
            if (s < 0) continue;
            inputs[i] = values[s] ?? throw new InvalidOperationException($"tensor '{node.Inputs[i]}' was released before node '{node.Name}' read it");
        }
        Tensor[] outputs;
        try
        {
            outputs = node.Operator.Forward(inputs);
        }
        catch (CnnLensException e) when (e is not UnsupportedOperatorException)
        {
            throw new ShapeMismatchException($"node '{node.Name}' ({node.OpType}): {e.Message}");
        }
        for (int i = 0; i < node.OutputSlots.Length && i < outputs.Length; i++)
            if (node.OutputSlots[i] >= 0) values[node.OutputSlots[i]] = outputs[i];
    }

    private void CheckInput(Tensor input)
    {
        var declared = Graph.Input.Shape;
        if (declared is null) return;
        string expected = "[" + string.Join(",", declared.Select(d => d.ToString())) + "]";
        if (input.Rank != declared.Length)
            throw new ShapeMismatchException(
                $"input has shape {Tensor.ShapeString(input.Shape)} but the model's input '{Graph.Input.Name}' is {expected}; give a tensor of rank {declared.Length}");
        for (int i = 0; i < declared.Length; i++)
            if (declared[i].Value is long d && d > 0 && d != input.Shape[i])
                throw new ShapeMismatchException(
                    $"input has shape {Tensor.ShapeString(input.Shape)} but the model's input '{Graph.Input.Name}' is {expected}; dimension {i} must be {d}");
    }
}
