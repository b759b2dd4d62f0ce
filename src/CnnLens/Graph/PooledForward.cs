using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// Every value of one forward pass, borrowed for a reverse pass. Disposing gives pooled
/// activations back for the next pass; a lease of a shared forward pass (or of plain arrays)
/// gives nothing back. Copy anything that must outlive it.
/// </summary>
public sealed class PooledForward : IDisposable
{
    private TensorPoolScope? _scope;

    internal PooledForward(Tensor?[] values, TensorPoolScope? scope)
    {
        Values = values;
        _scope = scope;
    }

    /// <summary>The forward values by slot, as <see cref="Executor.RunAll"/> returns them.</summary>
    public Tensor?[] Values { get; }

    public void Dispose()
    {
        _scope?.ReleaseAll();
        _scope = null;
    }
}
