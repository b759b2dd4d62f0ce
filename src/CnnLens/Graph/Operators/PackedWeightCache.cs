using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Remembers the packed form of one weight tensor, keyed by the tensor's reference: model weights
/// are constant across calls, so they are packed once. Code that edits a weight tensor's values in
/// place must pass a new tensor (or call <see cref="Clear"/>) to be seen. Safe for concurrent callers.
/// </summary>
internal sealed class PackedWeightCache<T> where T : class
{
    private sealed record Entry(Tensor Key, object Shape, T Value);

    private Entry? _entry;

    /// <summary>The cached value for (<paramref name="weights"/>, <paramref name="shapeKey"/>), packing on a miss.</summary>
    public T Get(Tensor weights, object shapeKey, Func<T> pack)
    {
        var entry = Volatile.Read(ref _entry);
        if (entry is not null && ReferenceEquals(entry.Key, weights) && entry.Shape.Equals(shapeKey)) return entry.Value;
        var value = pack();
        Volatile.Write(ref _entry, new Entry(weights, shapeKey, value));
        return value;
    }

    public void Clear() => Volatile.Write(ref _entry, null);
}
