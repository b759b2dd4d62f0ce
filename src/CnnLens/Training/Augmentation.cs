using CnnLens.Attribution;

namespace CnnLens.Training;

/// <summary>Random changes applied to each training image every epoch (none to validation or test images).</summary>
[Flags]
public enum Augmentation
{
    None = 0,

    /// <summary>Random crop with zero padding: the image shifted by up to 1/8 of its size (4 px at 28-32 px) each way.</summary>
    Crop = 1,

    /// <summary>Horizontal flip with probability 1/2 (not for digits or text).</summary>
    Flip = 2,

    /// <summary>Rotation by up to ±10° about the centre, bilinear, zero fill.</summary>
    Rotate = 4,

    /// <summary>Colour jitter: brightness and contrast each scaled by a factor in [0.8, 1.2], clamped to 0..1.</summary>
    Jitter = 8,
}

/// <summary>
/// Applies <see cref="Augmentation"/> to one image [C, H, W]. Each image's draws come from its own
/// stream (seed, epoch, image index), so they do not depend on batch size, order or thread count.
/// </summary>
public static class Augmenter
{
    public const double MaxRotationDegrees = 10;
    public const double JitterStrength = 0.2;

    public static Augmentation Parse(string list)
    {
        var result = Augmentation.None;
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            result |= part.ToLowerInvariant() switch
            {
                "crop" => Augmentation.Crop,
                "flip" => Augmentation.Flip,
                "rotate" => Augmentation.Rotate,
                "jitter" => Augmentation.Jitter,
                "none" => Augmentation.None,
                _ => throw new InvalidOptionException($"unknown augmentation '{part}'; use a comma-separated list of crop, flip, rotate, jitter"),
            };
        return result;
    }

    public static string Describe(Augmentation a) =>
        a == Augmentation.None ? "none" : string.Join(",", Enum.GetValues<Augmentation>().Where(f => f != 0 && a.HasFlag(f)).Select(f => f.ToString().ToLowerInvariant()));

    /// <summary>Writes the augmented image into <paramref name="target"/> (same size as <paramref name="source"/>).</summary>
    public static void Apply(Augmentation augmentation, ReadOnlySpan<float> source, Span<float> target, int channels, int height, int width, long seed, int epoch, int index)
    {
        source.CopyTo(target);
        if (augmentation == Augmentation.None) return;
        var random = new SeededRandom(seed, 0xA06, epoch, index);
        var scratch = new float[source.Length];
        if (augmentation.HasFlag(Augmentation.Rotate))
        {
            double angle = (random.NextDouble() * 2 - 1) * MaxRotationDegrees * Math.PI / 180;
            target.CopyTo(scratch);
            Rotate(scratch, target, channels, height, width, angle);
        }
        if (augmentation.HasFlag(Augmentation.Crop))
        {
            int pad = Math.Max(1, (int)Math.Round(Math.Min(height, width) / 8.0));
            int dx = random.NextInt(2 * pad + 1) - pad, dy = random.NextInt(2 * pad + 1) - pad;
            target.CopyTo(scratch);
            Shift(scratch, target, channels, height, width, dx, dy);
        }
        if (augmentation.HasFlag(Augmentation.Flip) && random.NextDouble() < 0.5)
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < height; y++)
                    target.Slice((c * height + y) * width, width).Reverse();
        if (augmentation.HasFlag(Augmentation.Jitter))
        {
            float brightness = (float)(1 + (random.NextDouble() * 2 - 1) * JitterStrength);
            float contrast = (float)(1 + (random.NextDouble() * 2 - 1) * JitterStrength);
            double sum = 0;
            foreach (float v in target) sum += v;
            float mean = (float)(sum / target.Length) * brightness;
            for (int i = 0; i < target.Length; i++)
                target[i] = Math.Clamp((target[i] * brightness - mean) * contrast + mean, 0f, 1f);
        }
    }

    /// <summary>output(x, y) = input(x + dx, y + dy), zero outside: the padded-then-cropped window.</summary>
    private static void Shift(float[] source, Span<float> target, int channels, int height, int width, int dx, int dy)
    {
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int sx = x + dx, sy = y + dy;
                    target[(c * height + y) * width + x] = (uint)sx < (uint)width && (uint)sy < (uint)height ? source[(c * height + sy) * width + sx] : 0f;
                }
    }

    private static void Rotate(float[] source, Span<float> target, int channels, int height, int width, double angle)
    {
        double cos = Math.Cos(angle), sin = Math.Sin(angle), cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                // Inverse map: the source point that lands on (x, y).
                double sx = cos * (x - cx) + sin * (y - cy) + cx, sy = -sin * (x - cx) + cos * (y - cy) + cy;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                for (int c = 0; c < channels; c++)
                {
                    double Pixel(int px, int py) => (uint)px < (uint)width && (uint)py < (uint)height ? source[(c * height + py) * width + px] : 0;
                    double value = (1 - fy) * ((1 - fx) * Pixel(x0, y0) + fx * Pixel(x0 + 1, y0)) + fy * ((1 - fx) * Pixel(x0, y0 + 1) + fx * Pixel(x0 + 1, y0 + 1));
                    target[(c * height + y) * width + x] = (float)value;
                }
            }
    }
}
