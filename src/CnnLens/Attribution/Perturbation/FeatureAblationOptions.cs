namespace CnnLens.Attribution.Perturbation;

/// <summary>Options of <see cref="FeatureAblation"/> (the CLI's <c>--features</c>, <c>--baseline</c>, <c>--batch-size</c>, <c>--full-forward</c>).</summary>
public sealed record FeatureAblationOptions
{
    /// <summary>The features ablated one at a time (default: a grid of 16 x 16 pixel cells).</summary>
    public FeatureMaskSource Features { get; init; } = FeatureMaskSource.Grid(16, 16);

    /// <summary>What an ablated feature is replaced with (in every channel).</summary>
    public Baseline Baseline { get; init; } = Baseline.Zero;

    /// <summary>Perturbed images per forward pass.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Run every perturbed image through the whole model instead of the incremental forward.</summary>
    public bool FullForward { get; init; }
}
