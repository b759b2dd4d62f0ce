namespace CnnLens.Attribution.Perturbation;

/// <summary>Options of <see cref="Occlusion"/> (the CLI's <c>--window</c>, <c>--stride</c>, <c>--baseline</c>, <c>--batch-size</c>, <c>--full-forward</c>).</summary>
public sealed record OcclusionOptions
{
    /// <summary>Sliding window (channels, height, width); null: all channels x 16 x 16, shrunk to the image.</summary>
    public int[]? Window { get; init; }

    /// <summary>Step per dimension (channels, height, width); null: all channels x 8 x 8, shrunk to the window.</summary>
    public int[]? Strides { get; init; }

    /// <summary>What an occluded window is replaced with.</summary>
    public Baseline Baseline { get; init; } = Baseline.Zero;

    /// <summary>Perturbed images per forward pass.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Run every perturbed image through the whole model instead of the incremental forward.</summary>
    public bool FullForward { get; init; }
}
