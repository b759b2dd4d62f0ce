using CnnLens.Attribution;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// Transformation robustness (Olah et al. 2017): at every step each image is shown to the network
/// slightly shifted, scaled and rotated, drawn afresh, so the optimiser cannot rely on
/// pixel-exact high-frequency patterns that vanish under a one-pixel move. Draws come from the
/// stream (seed, step, image index): the same at any batch size and thread count.
/// </summary>
public sealed record TransformRobustness
{
    /// <summary>No transformation: the image is fed as it is.</summary>
    public static TransformRobustness None { get; } = new() { Jitter = 0, MinScale = 1, MaxScale = 1, RotationDegrees = 0 };

    /// <summary>Largest shift in pixels, each direction, uniform (default 8, Lucid's standard jitter).</summary>
    public int Jitter { get; init; } = 8;

    /// <summary>Smallest scale factor (default 0.9).</summary>
    public double MinScale { get; init; } = 0.9;

    /// <summary>Largest scale factor (default 1.1).</summary>
    public double MaxScale { get; init; } = 1.1;

    /// <summary>Largest rotation in degrees, either direction (default 10).</summary>
    public double RotationDegrees { get; init; } = 10;

    public void Validate()
    {
        if (Jitter < 0) throw new InvalidOptionException($"jitter must be 0 or more pixels, got {Jitter}");
        if (MinScale <= 0 || MaxScale < MinScale) throw new InvalidOptionException($"scale range must satisfy 0 < min <= max, got {MinScale}..{MaxScale}");
        if (RotationDegrees < 0 || RotationDegrees > 180) throw new InvalidOptionException($"rotation must be 0..180 degrees, got {RotationDegrees}");
    }

    /// <summary>The transform image <paramref name="image"/> sees at step <paramref name="step"/>.</summary>
    public ImageTransform Draw(int height, int width, long seed, int step, long image)
    {
        var random = new SeededRandom(seed, step, image, 0x7A5F);
        double scale = MinScale + (MaxScale - MinScale) * random.NextDouble();
        double degrees = RotationDegrees * (2 * random.NextDouble() - 1);
        int shiftX = random.NextInt(2 * Jitter + 1) - Jitter, shiftY = random.NextInt(2 * Jitter + 1) - Jitter;
        return ImageTransform.Affine(height, width, scale, degrees, shiftX, shiftY);
    }
}
