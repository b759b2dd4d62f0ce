using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// The full forward pass (every tensor kept) of one input, computed at most once while a scope
/// opened by <see cref="Model.ShareForward"/> is alive, so several methods explaining the same
/// image (and the report's top-5 table) run the network once. Only the exact input tensor with
/// unchanged values hits; anything else runs normally, and nothing is held after the scope ends.
/// </summary>
internal sealed class SharedForward(Tensor input) : IDisposable
{
    private readonly float[] _snapshot = (float[])input.Data.Clone();
    private Tensor?[]? _values;
    private Action? _onDispose;

    public Tensor Input { get; } = input;

    public bool Matches(Tensor candidate) =>
        ReferenceEquals(candidate, Input) && candidate.Data.AsSpan().SequenceEqual(_snapshot);

    /// <summary>The kept forward values, computed on first use.</summary>
    public Tensor?[] Values(Executor executor)
    {
        lock (_snapshot) return _values ??= executor.RunAll(Input);
    }

    public void OnDispose(Action action) => _onDispose = action;

    public void Dispose()
    {
        _values = null;
        _onDispose?.Invoke();
    }
}
