using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// Reverse mode over a forward pass kept with <see cref="Executor.RunAll"/>: from any tensor, with
/// any seed gradient, back to the input or to any named tensors. Only nodes that lie on a path
/// between them run, and each gradient is dropped once every node that feeds it is done.
/// Weights (constants) get a gradient only when named in the targets (what training asks for).
/// </summary>
public static class ReversePass
{
    /// <summary>
    /// Propagates <paramref name="seed"/> (same shape as tensor <paramref name="from"/>) back and
    /// returns the gradient at each of <paramref name="to"/> (zeros where nothing reaches it).
    /// </summary>
    public static Dictionary<string, Tensor> Run(
        ComputationGraph graph, Tensor?[] forwardValues, string from, Tensor seed,
        IReadOnlyCollection<string> to, BackwardComposite? composite = null)
    {
        int fromSlot = graph.SlotOf(from);
        var fromValue = forwardValues[fromSlot] ?? throw new CnnLensException($"tensor '{from}' was not kept by the forward pass");
        if (!fromValue.SameShape(seed))
            throw new ShapeMismatchException($"seed gradient {seed} does not match tensor '{from}' {fromValue}");
        var targetSlots = to.Select(graph.SlotOf).ToHashSet();

        // Gradient buffers come from the graph's pool and go back once consumed; custom rules may
        // keep what flows through them, so their passes allocate plainly.
        var scope = composite is null ? graph.Pool.NewScope() : null;
        using var active = scope?.Activate() ?? TensorPoolScope.Suspend();
        var (nodes, dependsOnTarget) = NodesBetween(graph, fromSlot, targetSlots);
        var gradients = new Tensor?[graph.SlotCount];
        gradients[fromSlot] = seed;

        for (int n = nodes.Count - 1; n >= 0; n--)
        {
            var node = nodes[n];
            var outputGradients = node.OutputSlots.Select(s => s < 0 ? null : gradients[s]).ToArray();
            foreach (int s in node.OutputSlots)
                if (s >= 0 && !targetSlots.Contains(s)) gradients[s] = null; // consumed
            if (outputGradients.All(g => g is null)) continue;

            var inputs = node.InputSlots.Select(s => s < 0 ? null : forwardValues[s]).ToArray();
            var outputs = node.OutputSlots.Select(s => s < 0 ? null! : forwardValues[s]
                ?? throw new CnnLensException($"tensor '{graph.SlotNames[s]}' was not kept by the forward pass")).ToArray();
            var rule = composite?.Invoke(node);
            Tensor?[] inputGradients;
            try
            {
                inputGradients = rule is null
                    ? node.Operator.Backward(inputs, outputs, outputGradients, Needed(graph, node, targetSlots, dependsOnTarget))
                    : rule.Backward(node, inputs, outputs, outputGradients);
            }
            catch (CnnLensException e) when (e is not UnsupportedOperatorException)
            {
                throw new ShapeMismatchException($"backward of node '{node.Name}' ({node.OpType}): {e.Message}");
            }

            for (int i = 0; i < node.InputSlots.Length && i < inputGradients.Length; i++)
            {
                int s = node.InputSlots[i];
                if (s < 0 || inputGradients[i] is not { } g || !CarriesGradient(graph, s, targetSlots)) continue;
                if (gradients[s] is { } existing) gradients[s] = Accumulate(scope, existing, g);
                else
                {
                    gradients[s] = g;
                    scope?.Hold(g);
                }
            }
            if (scope is not null) ReleaseConsumed(scope, graph, node, outputGradients, inputGradients, targetSlots);
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var name in to)
        {
            int s = graph.SlotOf(name);
            result[name] = gradients[s] ?? new Tensor(forwardValues[s]?.ShapeArray ?? throw new CnnLensException($"tensor '{name}' was not kept by the forward pass"));
        }
        return result;
    }

    /// <summary>
    /// Which inputs of a node carry a gradient anyone uses: not shapes, weights only when asked for,
    /// and nothing that no target feeds (training skips the first layer's input gradient this way).
    /// </summary>
    private static bool[] Needed(ComputationGraph graph, GraphNode node, HashSet<int> targetSlots, bool[] dependsOnTarget) =>
        node.InputSlots.Select(s => s >= 0 && dependsOnTarget[s] && CarriesGradient(graph, s, targetSlots)).ToArray();

    private static bool CarriesGradient(ComputationGraph graph, int slot, HashSet<int> targetSlots) =>
        !graph.ShapeStatic[slot] && (graph.Constants[slot] is null || targetSlots.Contains(slot));

    /// <summary>Nodes on a path from a target to <paramref name="fromSlot"/>, in forward order.</summary>
    private static (List<GraphNode> Nodes, bool[] DependsOnTarget) NodesBetween(ComputationGraph graph, int fromSlot, HashSet<int> targetSlots)
    {
        var dependsOnTarget = new bool[graph.SlotCount];
        foreach (int s in targetSlots) dependsOnTarget[s] = true;
        foreach (var node in graph.Nodes)
            if (node.InputSlots.Any(s => s >= 0 && dependsOnTarget[s]))
                foreach (int s in node.OutputSlots)
                    if (s >= 0) dependsOnTarget[s] = true;

        var feedsFrom = new bool[graph.SlotCount];
        feedsFrom[fromSlot] = true;
        var selected = new List<GraphNode>();
        for (int n = graph.Nodes.Count - 1; n >= 0; n--)
        {
            var node = graph.Nodes[n];
            if (!node.OutputSlots.Any(s => s >= 0 && feedsFrom[s])) continue;
            foreach (int s in node.InputSlots)
                if (s >= 0) feedsFrom[s] = true;
            if (node.InputSlots.Any(s => s >= 0 && dependsOnTarget[s])) selected.Add(node);
        }
        selected.Reverse();
        return (selected, dependsOnTarget);
    }

    /// <summary>
    /// existing + g for a slot that holds <paramref name="existing"/>: in place when it is a pooled
    /// buffer nothing else holds, else into a new buffer that takes over the slot's hold.
    /// </summary>
    private static Tensor Accumulate(TensorPoolScope? scope, Tensor existing, Tensor g)
    {
        if (scope is not null && scope.HeldOnce(existing) && !ReferenceEquals(existing.Data, g.Data))
        {
            Add(existing.Data, g.Data, existing.Data);
            return existing;
        }
        var sum = Tensor.Uninitialized(existing.ShapeArray);
        Add(existing.Data, g.Data, sum.Data);
        scope?.Hold(sum);
        scope?.Release(existing);
        return sum;
    }

    /// <summary>sum = a + b over whole gradients, on all threads (residual joins sum activation-sized tensors).</summary>
    private static void Add(float[] a, float[] b, float[] sum) =>
        Elementwise.Parallel(sum.Length, (start, end) =>
            System.Numerics.Tensors.TensorPrimitives.Add(a.AsSpan(start, end - start), b.AsSpan(start, end - start), sum.AsSpan(start, end - start)));

    /// <summary>
    /// After a node: its output gradients are consumed, and activation gradients that were summed into
    /// a slot rather than stored go back. Gradients of weights and shapes are left alone (to the GC, or
    /// to whoever collects them).
    /// </summary>
    private static void ReleaseConsumed(TensorPoolScope scope, ComputationGraph graph, GraphNode node, Tensor?[] outputGradients,
        Tensor?[] inputGradients, HashSet<int> targetSlots)
    {
        for (int i = 0; i < node.OutputSlots.Length; i++)
            if (node.OutputSlots[i] is var s && s >= 0 && !targetSlots.Contains(s) && outputGradients[i] is { } consumed)
                scope.Release(consumed);
        for (int i = 0; i < node.InputSlots.Length && i < inputGradients.Length; i++)
            if (node.InputSlots[i] is var s && s >= 0 && graph.Constants[s] is null && !graph.ShapeStatic[s] && inputGradients[i] is { } g)
                scope.ReleaseIfUnheld(g);
    }
}
