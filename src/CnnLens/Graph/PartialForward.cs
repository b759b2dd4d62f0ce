using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// Runs a graph from one named tensor onward with a replaced value: only the nodes downstream of
/// that tensor execute; every other tensor they read (a residual branch that bypasses the layer,
/// a shape computed from the input) comes from a forward pass already done on the original images.
/// The replacement may hold more rows than that pass (e.g. one per ablated channel); row r then
/// continues image <c>imageOfRow[r]</c>, and the cached values it reads are repeated to match.
/// Ablation-style methods re-run only the layers after the one they perturb this way.
/// </summary>
public sealed class PartialForward
{
    private readonly ComputationGraph _graph;
    private readonly int _layerSlot;
    private readonly List<GraphNode> _nodes = [];
    private readonly bool[] _producedHere;
    private readonly int[] _readers;

    public PartialForward(Model model, string layer)
    {
        _graph = model.Graph;
        Layer = layer;
        _layerSlot = _graph.SlotOf(layer);
        if (_graph.Constants[_layerSlot] is not null || _graph.ShapeStatic[_layerSlot])
            throw new InvalidOptionException($"tensor '{layer}' is a constant or a shape, not a layer activation");

        var downstream = new bool[_graph.SlotCount];
        downstream[_layerSlot] = true;
        var runs = new bool[_graph.Nodes.Count];
        for (int i = 0; i < _graph.Nodes.Count; i++)
        {
            var node = _graph.Nodes[i];
            if (!node.InputSlots.Any(s => s >= 0 && downstream[s])) continue;
            runs[i] = true;
            foreach (int s in node.OutputSlots)
                if (s >= 0) downstream[s] = true;
        }
        // Shape sub-graphs feeding those nodes run again too: a shape computed from the original
        // batch size (Shape of the input → Reshape) would be wrong for a batch of replacements.
        for (int i = _graph.Nodes.Count - 1; i >= 0; i--)
        {
            if (!runs[i]) continue;
            foreach (int s in _graph.Nodes[i].InputSlots)
                if (s >= 0 && _graph.ShapeStatic[s] && !downstream[s] && _graph.Producer[s] is { } producer)
                    runs[IndexOf(producer)] = true; // producers come earlier, so this loop still visits it
        }
        _producedHere = new bool[_graph.SlotCount];
        _readers = new int[_graph.SlotCount];
        for (int i = 0; i < _graph.Nodes.Count; i++)
        {
            if (!runs[i]) continue;
            var node = _graph.Nodes[i];
            _nodes.Add(node);
            foreach (int s in node.OutputSlots)
                if (s >= 0) _producedHere[s] = true;
            foreach (int s in node.InputSlots)
                if (s >= 0) _readers[s]++;
        }
        _producedHere[_layerSlot] = true;
        CachedInputs = Enumerable.Range(0, _graph.SlotCount)
            .Where(s => _readers[s] > 0 && !_producedHere[s] && _graph.Constants[s] is null)
            .Select(s => _graph.SlotNames[s]).ToList();
    }

    /// <summary>The tensor whose value is replaced.</summary>
    public string Layer { get; }

    /// <summary>How many nodes run per call (the graph's nodes downstream of <see cref="Layer"/> plus shape sub-graphs they need).</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>The tensors (besides constants) read from the cached forward pass: what bypasses the layer.</summary>
    public IReadOnlyList<string> CachedInputs { get; }

    /// <summary>
    /// Runs the graph from <see cref="Layer"/> with <paramref name="replacement"/> as its value and
    /// returns the tensor <paramref name="output"/>. <paramref name="cached"/> are the values of a
    /// forward pass of the original images (<see cref="Model.ForwardAll"/>, slot-indexed);
    /// <paramref name="imageOfRow"/> (null: row r is image r) names the image each replacement row continues.
    /// </summary>
    public Tensor Run(Tensor?[] cached, Tensor replacement, string output, ReadOnlySpan<int> imageOfRow = default)
    {
        int outputSlot = _graph.SlotOf(output);
        if (!_producedHere[outputSlot])
            throw new InvalidOptionException($"tensor '{output}' is not downstream of '{Layer}'; a partial forward from there does not compute it");
        if (cached.Length != _graph.SlotCount)
            throw new ArgumentException("the cached values are not a forward pass of this model", nameof(cached));
        var original = cached[_layerSlot] ?? throw new ArgumentException($"the cached forward pass did not keep '{Layer}'", nameof(cached));
        if (replacement.Rank != original.Rank || !replacement.Shape[1..].SequenceEqual(original.Shape[1..]))
            throw new ShapeMismatchException($"replacement for '{Layer}' is {replacement} but the layer is {original}; only the batch size may differ");
        int images = original.Dim(0), rows = replacement.Dim(0);
        int[] rowImages = imageOfRow.IsEmpty ? Enumerable.Range(0, rows).ToArray() : imageOfRow.ToArray();
        if (rowImages.Length != rows)
            throw new ArgumentException($"{rowImages.Length} image indices for {rows} replacement rows", nameof(imageOfRow));
        foreach (int image in rowImages)
            if ((uint)image >= (uint)images)
                throw new ArgumentOutOfRangeException(nameof(imageOfRow), $"image {image} is not in the cached batch of {images}");
        bool sameRows = rows == images && rowImages.Select((image, row) => image == row).All(b => b);

        var values = (Tensor?[])_graph.Constants.Clone();
        foreach (var name in CachedInputs)
        {
            int s = _graph.SlotOf(name);
            var value = cached[s] ?? throw new ArgumentException($"the cached forward pass did not keep '{name}'", nameof(cached));
            values[s] = sameRows || value.Rank == 0 || value.Dim(0) != images ? value : RepeatRows(value, rowImages);
        }
        values[_layerSlot] = replacement;
        var remaining = (int[])_readers.Clone();
        foreach (var node in _nodes)
        {
            Executor.Execute(node, values);
            foreach (int s in node.InputSlots)
            {
                if (s < 0 || --remaining[s] > 0 || s == outputSlot || _graph.Constants[s] is not null) continue;
                values[s] = null; // last reader done
            }
        }
        return values[outputSlot]!;
    }

    /// <summary>Row r of the result is row <c>rows[r]</c> of <paramref name="value"/>.</summary>
    private static Tensor RepeatRows(Tensor value, int[] rows)
    {
        int perRow = Batch.PerImage(value);
        var shape = value.ShapeArray;
        shape[0] = rows.Length;
        var result = new Tensor(shape, new float[Tensor.CheckedLength(shape)], value.DataType);
        for (int r = 0; r < rows.Length; r++)
            value.Data.AsSpan(rows[r] * perRow, perRow).CopyTo(result.Data.AsSpan(r * perRow, perRow));
        return result;
    }

    private int IndexOf(GraphNode node)
    {
        for (int i = 0; i < _graph.Nodes.Count; i++)
            if (ReferenceEquals(_graph.Nodes[i], node)) return i;
        throw new InvalidOperationException($"node {node} is not in the graph");
    }
}
