namespace CnnLens.Visualization;

/// <summary>How <see cref="TopPatchFinder"/> scans a folder.</summary>
public sealed record TopPatchOptions
{
    /// <summary>Images kept per channel.</summary>
    public int Top { get; init; } = 9;

    /// <summary>Images per forward pass (images of one size are batched; the result does not depend on it).</summary>
    public int BatchSize { get; init; } = 16;

    internal void Validate()
    {
        if (Top < 1) throw new InvalidOptionException($"--top must be at least 1, got {Top}");
        if (BatchSize < 1) throw new InvalidOptionException($"the batch size must be at least 1, got {BatchSize}");
    }
}
