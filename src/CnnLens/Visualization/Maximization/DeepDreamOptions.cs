namespace CnnLens.Visualization.Maximization;

/// <summary>Settings of <see cref="DeepDream"/>.</summary>
public sealed record DeepDreamOptions
{
    /// <summary>Gradient-ascent steps per octave (default 20).</summary>
    public int Steps { get; init; } = 20;

    /// <summary>Image scales processed, smallest first (default 3).</summary>
    public int Octaves { get; init; } = 3;

    /// <summary>Size ratio between neighbouring octaves (default 1.4).</summary>
    public double OctaveScale { get; init; } = 1.4;

    /// <summary>Step size on the 0..1 image, applied to the gradient divided by its mean magnitude (default 0.02).</summary>
    public double StepSize { get; init; } = 0.02;

    /// <summary>Random shift per step (default: up to 16 pixels, no scaling or rotation).</summary>
    public TransformRobustness Transforms { get; init; } = new() { Jitter = 16, MinScale = 1, MaxScale = 1, RotationDegrees = 0 };

    /// <summary>Seed of the jitter.</summary>
    public long Seed { get; init; }

    /// <summary>The model's preprocessing mean per channel (null: ImageNet's for 3 channels).</summary>
    public float[]? Mean { get; init; }

    /// <summary>The model's preprocessing std per channel (null: ImageNet's for 3 channels).</summary>
    public float[]? Std { get; init; }

    public void Validate()
    {
        if (Steps < 1) throw new InvalidOptionException($"steps must be at least 1, got {Steps}");
        if (Octaves < 1) throw new InvalidOptionException($"octaves must be at least 1, got {Octaves}");
        if (!(OctaveScale >= 1) || !double.IsFinite(OctaveScale)) throw new InvalidOptionException($"octave scale must be 1 or more, got {OctaveScale}");
        if (!(StepSize > 0) || !double.IsFinite(StepSize)) throw new InvalidOptionException($"step size must be a positive number, got {StepSize}");
        Transforms.Validate();
    }
}
