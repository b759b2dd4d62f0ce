namespace CnnLens.Tensors;

/// <summary>
/// Float buffers kept for reuse, by exact length (a network's activations come in a handful of
/// sizes), so a steady stream of forward and reverse passes allocates next to nothing: no garbage
/// collections and no fresh pages in the middle of a pass. Buffers are only ever handed out
/// through a <see cref="TensorPoolScope"/>, which knows which of them may come back.
/// Thread-safe; each scope belongs to one pass on one thread.
/// </summary>
public sealed class TensorPool
{
    private readonly Dictionary<int, Stack<float[]>> _free = new();
    private long _freeValues;

    /// <summary>Values the pool keeps at most while idle (beyond that a returned buffer is left to the GC).</summary>
    public long CapacityValues { get; init; } = 256L << 20; // 1 GiB of floats

    /// <summary>Values held for reuse right now (diagnostics and tests).</summary>
    public long FreeValues
    {
        get { lock (_free) return _freeValues; }
    }

    /// <summary>A new scope for one pass over this pool; activate it around the code that should rent.</summary>
    public TensorPoolScope NewScope() => new(this);

    internal float[] Take(int length)
    {
        lock (_free)
        {
            if (_free.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                _freeValues -= length;
                return stack.Pop();
            }
        }
        return new float[length];
    }

    internal void Give(float[] buffer)
    {
        lock (_free)
        {
            if (_freeValues + buffer.Length > CapacityValues) return;
            if (!_free.TryGetValue(buffer.Length, out var stack)) _free[buffer.Length] = stack = new Stack<float[]>();
            stack.Push(buffer);
            _freeValues += buffer.Length;
        }
    }
}

/// <summary>
/// The buffers one pass rented from a <see cref="TensorPool"/>, with how many live references
/// (graph slots) each has. Only buffers rented by this very scope can go back, and only when their
/// last holder lets go, so a tensor the caller keeps, a shared forward pass, a constant or a view
/// of one are never recycled: anything not released stays with whoever holds it.
/// </summary>
public sealed class TensorPoolScope
{
    [ThreadStatic] private static TensorPoolScope? t_current;

    private readonly TensorPool _pool;
    private readonly Dictionary<float[], int> _holders = new(ReferenceEqualityComparer.Instance);

    internal TensorPoolScope(TensorPool pool) => _pool = pool;

    /// <summary>The scope tensors are rented from on this thread (null: plain allocation).</summary>
    public static TensorPoolScope? Current => t_current;

    /// <summary>Makes this scope <see cref="Current"/> on this thread until the result is disposed.</summary>
    public Activation Activate() => new(this);

    /// <summary>Makes no scope current (for results that must outlive the pass) until disposed.</summary>
    public static Activation Suspend() => new(null);

    /// <summary>A buffer of <paramref name="length"/> values with unspecified contents.</summary>
    public float[] Rent(int length)
    {
        var buffer = _pool.Take(length);
        _holders[buffer] = 0;
        return buffer;
    }

    /// <summary>True while <paramref name="tensor"/>'s values are a buffer of this scope not yet given back.</summary>
    public bool Owns(Tensor tensor) => _holders.ContainsKey(tensor.Data);

    /// <summary>One more live reference to <paramref name="tensor"/>'s buffer (ignored for buffers not rented here).</summary>
    public void Hold(Tensor tensor)
    {
        if (_holders.TryGetValue(tensor.Data, out int count)) _holders[tensor.Data] = count + 1;
    }

    /// <summary>True when exactly one reference holds this scope's buffer under <paramref name="tensor"/> (it may be updated in place).</summary>
    public bool HeldOnce(Tensor tensor) => _holders.TryGetValue(tensor.Data, out int count) && count == 1;

    /// <summary>One reference fewer; the buffer goes back to the pool when none is left.</summary>
    public void Release(Tensor tensor)
    {
        if (!_holders.TryGetValue(tensor.Data, out int count)) return;
        if (count > 1) _holders[tensor.Data] = count - 1;
        else GiveBack(tensor.Data);
    }

    /// <summary>Gives the buffer back when nothing holds it (a result that was computed and not stored).</summary>
    public void ReleaseIfUnheld(Tensor tensor)
    {
        if (_holders.TryGetValue(tensor.Data, out int count) && count == 0) GiveBack(tensor.Data);
    }

    /// <summary>
    /// Gives back every buffer still held here (the values of a finished pass): the caller promises
    /// none of them is used any more. Buffers nothing ever held (a kernel's temporaries, which an
    /// operator might have kept) are left to the garbage collector.
    /// </summary>
    public void ReleaseAll()
    {
        foreach (var (buffer, count) in _holders)
            if (count > 0) _pool.Give(buffer);
        _holders.Clear();
    }

    private void GiveBack(float[] buffer)
    {
        _holders.Remove(buffer);
        _pool.Give(buffer);
    }

    /// <summary>Restores the previously current scope when disposed.</summary>
    public readonly struct Activation : IDisposable
    {
        private readonly TensorPoolScope? _previous;

        internal Activation(TensorPoolScope? scope)
        {
            _previous = t_current;
            t_current = scope;
        }

        public void Dispose() => t_current = _previous;
    }
}
