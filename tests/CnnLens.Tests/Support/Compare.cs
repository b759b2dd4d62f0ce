namespace CnnLens.Tests.Support;

/// <summary>Numeric comparisons for parity tests, in double so the check itself adds no rounding.</summary>
public static class Compare
{
    public static double MaxAbs(ReadOnlySpan<float> values)
    {
        double max = 0;
        foreach (float v in values) max = Math.Max(max, Math.Abs((double)v));
        return max;
    }

    public static double MaxAbsDifference(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(d)) return double.PositiveInfinity;
            max = Math.Max(max, d);
        }
        return max;
    }

    /// <summary>Asserts |actual − expected| ≤ tolerance · max|expected| everywhere (the parity criterion of the issues).</summary>
    public static void RelativeToLargest(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what = "values")
    {
        double scale = Math.Max(MaxAbs(expected), 1e-12);
        double diff = MaxAbsDifference(actual, expected);
        Assert.True(diff <= tolerance * scale, $"{what}: max |Δ| = {diff:G4} exceeds {tolerance:G2} × largest magnitude {scale:G4}");
    }

    public static int[] TopK(ReadOnlySpan<float> values, int k)
    {
        var copy = values.ToArray();
        return Enumerable.Range(0, copy.Length).OrderByDescending(i => copy[i]).Take(k).ToArray();
    }
}
