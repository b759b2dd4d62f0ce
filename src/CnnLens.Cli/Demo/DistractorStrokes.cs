using CnnLens.Tensors;

namespace CnnLens.Cli.Demo;

/// <summary>
/// Extra pen strokes drawn over a 28x28 digit (values in [0,1]) so that it starts to look like
/// another digit — the classic question: which pixels made the network say 6, and which made it doubt?
/// </summary>
public static class DistractorStrokes
{
    /// <summary>A straight stroke from (X0,Y0) to (X1,Y1) in pixel coordinates, and what it suggests.</summary>
    public sealed record Stroke(double X0, double Y0, double X1, double Y1, string Suggests);

    /// <summary>The hand-chosen stroke per demo digit (only these digits get one).</summary>
    public static readonly IReadOnlyDictionary<int, Stroke> ForDigit = new Dictionary<int, Stroke>
    {
        [1] = new(9, 6, 21, 5.5, "a 7 (a bar across the top)"),
        [3] = new(9, 8, 9, 19, "an 8 (the left side closed)"),
        [6] = new(13, 3, 21, 11, "an 8 or 0 (the loop closed at the top)"),
        [7] = new(10, 15, 21, 15, "a crossed 7 or a 4"),
        [9] = new(8, 21, 18, 21, "a 4 or 8 (a foot under the loop)"),
    };

    /// <summary>A copy of <paramref name="digit"/> [1,28,28] with the stroke drawn 2 px wide (antialiased, brightest wins).</summary>
    public static Tensor Draw(Tensor digit, Stroke stroke)
    {
        var result = digit.Clone();
        int height = digit.Dim(-2), width = digit.Dim(-1);
        double dx = stroke.X1 - stroke.X0, dy = stroke.Y1 - stroke.Y0, lengthSquared = dx * dx + dy * dy;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                // Distance from the pixel centre to the segment; ink falls off over the last pixel like a pen's edge.
                double t = lengthSquared == 0 ? 0 : Math.Clamp(((x - stroke.X0) * dx + (y - stroke.Y0) * dy) / lengthSquared, 0, 1);
                double px = stroke.X0 + t * dx - x, py = stroke.Y0 + t * dy - y;
                double ink = Math.Clamp(2.0 - Math.Sqrt(px * px + py * py), 0, 1);
                ref float pixel = ref result.Data[y * width + x];
                pixel = Math.Max(pixel, (float)ink);
            }
        return result;
    }
}
