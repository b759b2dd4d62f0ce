namespace CnnLens.Attribution.Perturbation;

/// <summary>A rectangle of pixels (all channels) that holds every change of one perturbation.</summary>
public readonly record struct PixelBox(int Top, int Left, int Height, int Width)
{
    /// <summary>The smallest box around the pixels of <paramref name="mask"/> labelled with each feature.</summary>
    public static PixelBox[] AroundFeatures(FeatureMask mask)
    {
        var top = Enumerable.Repeat(int.MaxValue, mask.Count).ToArray();
        var left = Enumerable.Repeat(int.MaxValue, mask.Count).ToArray();
        var bottom = new int[mask.Count];
        var right = new int[mask.Count];
        for (int y = 0; y < mask.Height; y++)
            for (int x = 0; x < mask.Width; x++)
            {
                int f = mask.Labels[y * mask.Width + x];
                top[f] = Math.Min(top[f], y);
                left[f] = Math.Min(left[f], x);
                bottom[f] = Math.Max(bottom[f], y + 1);
                right[f] = Math.Max(right[f], x + 1);
            }
        return Enumerable.Range(0, mask.Count).Select(f => new PixelBox(top[f], left[f], bottom[f] - top[f], right[f] - left[f])).ToArray();
    }
}
