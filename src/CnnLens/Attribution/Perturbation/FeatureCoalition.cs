namespace CnnLens.Attribution.Perturbation;

/// <summary>
/// A coalition of features as a model input (features on keep the image, features off take the
/// baseline, in every channel), and per-feature numbers spread back onto the pixels.
/// </summary>
public static class FeatureCoalition
{
    /// <summary>Writes the image [C,H,W] with the features whose <paramref name="on"/> entry is false replaced by the baseline.</summary>
    public static void Write(FeatureMask mask, ReadOnlySpan<float> image, ReadOnlySpan<float> baseline, ReadOnlySpan<bool> on, Span<float> destination)
    {
        int plane = mask.Labels.Length;
        var labels = mask.Labels;
        for (int offset = 0; offset < image.Length; offset += plane)
            for (int p = 0; p < plane; p++)
                destination[offset + p] = on[labels[p]] ? image[offset + p] : baseline[offset + p];
    }

    /// <summary>A [H·W] map giving every pixel the value of its feature.</summary>
    public static void Spread(FeatureMask mask, ReadOnlySpan<double> values, Span<float> destination)
    {
        for (int p = 0; p < mask.Labels.Length; p++) destination[p] = (float)values[mask.Labels[p]];
    }
}
