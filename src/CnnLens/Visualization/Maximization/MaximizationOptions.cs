namespace CnnLens.Visualization.Maximization;

/// <summary>Settings of <see cref="ActivationMaximization"/>; the defaults follow Lucid's <c>render_vis</c>.</summary>
public sealed record MaximizationOptions
{
    /// <summary>Optimisation steps (default 256).</summary>
    public int Steps { get; init; } = 256;

    /// <summary>Adam learning rate (default 0.05, Lucid's).</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Image height and width; null: the model's declared input size, or 224 when it has none.</summary>
    public int? Size { get; init; }

    /// <summary>Images optimised together (default 1; more with a diversity term).</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Seed of the initial spectrum and of every transformation draw.</summary>
    public long Seed { get; init; }

    /// <summary>Exponent of the 1/f spectrum scaling (default 1).</summary>
    public double DecayPower { get; init; } = 1;

    /// <summary>Optimise decorrelated colour components (3-channel models; default true).</summary>
    public bool DecorrelateColors { get; init; } = true;

    /// <summary>Random shift, scale and rotation per step.</summary>
    public TransformRobustness Transforms { get; init; } = new();

    /// <summary>Weight of the L2 penalty on the 0..1 image (default 0: off).</summary>
    public double L2Weight { get; init; }

    /// <summary>Weight of the total-variation penalty (default 0: off).</summary>
    public double TotalVariationWeight { get; init; }

    /// <summary>The model's preprocessing mean per channel (null: ImageNet's for 3 channels, 0 otherwise).</summary>
    public float[]? Mean { get; init; }

    /// <summary>The model's preprocessing standard deviation per channel (null: ImageNet's for 3 channels, 1 otherwise).</summary>
    public float[]? Std { get; init; }

    public void Validate()
    {
        if (Steps < 1) throw new InvalidOptionException($"steps must be at least 1, got {Steps}");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new InvalidOptionException($"learning rate must be a positive number, got {LearningRate}");
        if (Size is { } s && s < 8) throw new InvalidOptionException($"image size must be at least 8 pixels, got {s}");
        if (Batch < 1) throw new InvalidOptionException($"batch must be at least 1, got {Batch}");
        if (DecayPower < 0) throw new InvalidOptionException($"decay power must be 0 or more, got {DecayPower}");
        if (L2Weight < 0 || TotalVariationWeight < 0) throw new InvalidOptionException("penalty weights must be 0 or more");
        Transforms.Validate();
    }
}
