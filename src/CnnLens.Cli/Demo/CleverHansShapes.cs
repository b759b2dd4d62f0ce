using CnnLens.Attribution;
using CnnLens.Tensors;

namespace CnnLens.Cli.Demo;

/// <summary>
/// The demo's "Clever Hans" data set, generated here: greyscale images of a ring (class 0) or a
/// cross (class 1) at a random place, size, thickness and brightness on a noisy background. In the
/// biased variant every ring also carries a bright mark in the top-left corner — a cue that predicts
/// the class perfectly and is easier to see than the faint shapes, like the weather in the tank
/// legend. Test images never have the mark unless asked.
/// </summary>
public static class CleverHansShapes
{
    public const int Size = 32;

    public static readonly string[] ClassNames = ["ring", "cross"];

    /// <summary>Top-left corner box of the cue: rows and columns [Offset, Offset + Side).</summary>
    public const int CueOffset = 1, CueSide = 4;

    /// <summary>One image [1, Size, Size] in [0,1]: <paramref name="label"/> 0 ring, 1 cross; the same (seed, index) gives the same image.</summary>
    public static Tensor Draw(int label, bool cue, long seed, int index)
    {
        var random = new SeededRandom(seed, index, label);
        var image = new Tensor(1, Size, Size);
        var pixels = image.Data;
        double centreX = 9 + random.NextDouble() * 14, centreY = 9 + random.NextDouble() * 14;
        double radius = 5 + random.NextDouble() * 3.5, thickness = 1.6 + random.NextDouble() * 1.2;
        double angle = random.NextDouble() * Math.PI / 2;
        double brightness = 0.2 + random.NextDouble() * 0.4;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                // 2x2 supersampling softens the edges, as a camera would.
                double coverage = 0;
                for (int sy = 0; sy < 2; sy++)
                    for (int sx = 0; sx < 2; sx++)
                    {
                        double dx = x + 0.25 + 0.5 * sx - centreX, dy = y + 0.25 + 0.5 * sy - centreY;
                        bool inside = label == 0
                            ? Math.Abs(Math.Sqrt(dx * dx + dy * dy) - radius) < thickness / 2
                            : IsOnCross(dx * cos + dy * sin, -dx * sin + dy * cos, radius, thickness);
                        if (inside) coverage += 0.25;
                    }
                double background = 0.12 + 0.08 * random.NextGaussian();
                pixels[y * Size + x] = (float)Math.Clamp(background + coverage * brightness, 0, 1);
            }
        if (cue) AddCue(image);
        return image;
    }

    /// <summary>Paints the corner mark into image <paramref name="index"/> of [N,1,Size,Size] (or into a single [1,Size,Size]).</summary>
    public static void AddCue(Tensor images, int index = 0)
    {
        int offset = index * Size * Size;
        for (int y = CueOffset; y < CueOffset + CueSide; y++)
            for (int x = CueOffset; x < CueOffset + CueSide; x++) images.Data[offset + y * Size + x] = 1f;
    }

    private static bool IsOnCross(double u, double v, double arm, double thickness) =>
        (Math.Abs(u) < thickness / 2 && Math.Abs(v) < arm) || (Math.Abs(v) < thickness / 2 && Math.Abs(u) < arm);

    /// <summary>
    /// <paramref name="count"/> images alternating ring, cross (labels [count]) as a batch [count,1,Size,Size]:
    /// biased puts the cue on every ring; clean has no cue.
    /// </summary>
    public static (Tensor Images, int[] Labels) Set(int count, bool biased, long seed)
    {
        var images = new Tensor(count, 1, Size, Size);
        var labels = new int[count];
        Parallelism.For(count, (from, to) =>
        {
            for (int i = from; i < to; i++)
            {
                labels[i] = i % 2;
                var image = Draw(labels[i], cue: biased && labels[i] == 0, seed, i);
                image.Data.CopyTo(images.Data, i * Size * Size);
            }
        }, costPerItem: Size * Size * 40);
        return (images, labels);
    }
}
