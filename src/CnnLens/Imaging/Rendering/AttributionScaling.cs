using System.Buffers;

namespace CnnLens.Imaging.Rendering;

/// <summary>How the value that gets full colour (the scale s) is chosen from a map's magnitudes.</summary>
public enum HeatmapScaling
{
    /// <summary>
    /// s = the p-th percentile of |values| with linear interpolation between order statistics
    /// (numpy.percentile's default). p = 99.5 clips the brightest 0.5% of pixels, the usual
    /// SmoothGrad-style display, so a few outliers do not wash out the rest of the map.
    /// </summary>
    Percentile,

    /// <summary>
    /// Captum's rule (visualize_image_attr, outlier_perc): sort |values| ascending and take the first
    /// value at which the running sum reaches p% of the total; Captum's default outlier_perc = 2 is p = 98.
    /// </summary>
    CumulativeSum,

    /// <summary>s = max |value|: nothing is clipped.</summary>
    Maximum,
}

/// <summary>Order statistics of attribution magnitudes used to pick a display scale.</summary>
public static class AttributionScaling
{
    /// <summary>
    /// The <paramref name="percentile"/>-th percentile (0..100) of |values|, NaN ignored, linear
    /// interpolation as numpy.percentile. Returns 0 for an empty or all-NaN input. O(n) by selection.
    /// </summary>
    public static float PercentileOfMagnitudes(ReadOnlySpan<float> values, double percentile)
    {
        CheckPercentile(percentile);
        float[] magnitudes = MagnitudesWithoutNaN(values, out int count);
        try
        {
            return count == 0 ? 0f : PercentileInPlace(magnitudes.AsSpan(0, count), percentile);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(magnitudes);
        }
    }

    private static float PercentileInPlace(Span<float> magnitudes, double percentile)
    {
        int count = magnitudes.Length;
        double position = (count - 1) * (percentile / 100.0);
        int lower = Math.Min((int)Math.Floor(position), count - 1);
        double fraction = position - lower;
        var (low, high) = OrderStatisticAndNext(magnitudes, lower);
        if (fraction == 0 || lower == count - 1) return low;
        // numpy's lerp, written from the nearer end so it stays monotone.
        double result = fraction < 0.5 ? low + (high - low) * fraction : high - (high - low) * (1 - fraction);
        return (float)result;
    }

    /// <summary>
    /// The k-th smallest of non-negative, non-NaN <paramref name="magnitudes"/> and the one after it
    /// (equal to it when k is the last index). Reorders the span. A histogram over the top bits of
    /// the float pattern (monotone for non-negative floats) narrows the search to one bucket, so a
    /// typical map costs two passes plus a selection over a few hundred values.
    /// </summary>
    private static (float Value, float Next) OrderStatisticAndNext(Span<float> magnitudes, int k)
    {
        const int shift = 20;
        Span<int> histogram = stackalloc int[1 << (31 - shift)];
        histogram.Clear();
        foreach (float v in magnitudes) histogram[BitConverter.SingleToInt32Bits(v) >> shift]++;
        int before = 0, bucket = 0;
        while (before + histogram[bucket] <= k) before += histogram[bucket++];

        // Move the bucket's members to the front and select among them.
        int members = 0;
        for (int i = 0; i < magnitudes.Length; i++)
            if (BitConverter.SingleToInt32Bits(magnitudes[i]) >> shift == bucket)
                (magnitudes[members], magnitudes[i]) = (magnitudes[i], magnitudes[members++]);
        int rank = k - before;
        var inBucket = magnitudes[..members];
        float value = Select(inBucket, rank);
        if (k == magnitudes.Length - 1) return (value, value);

        // The next order statistic is the smallest value after the selected one: in this bucket if any
        // remain, otherwise the smallest value above the bucket (all lower buckets hold smaller values).
        float next = float.PositiveInfinity;
        if (rank + 1 < members)
        {
            foreach (float v in inBucket[(rank + 1)..]) if (v < next) next = v;
        }
        else
        {
            foreach (float v in magnitudes[members..]) if (v > value && v < next) next = v;
        }
        return (value, next);
    }

    /// <summary>
    /// Captum's cumulative-sum threshold of |values| (NaN ignored): the smallest sorted magnitude
    /// whose running sum reaches <paramref name="percentile"/>% of the total. Returns 0 for empty input.
    /// </summary>
    public static float CumulativeSumThreshold(ReadOnlySpan<float> values, double percentile)
    {
        CheckPercentile(percentile);
        float[] magnitudes = MagnitudesWithoutNaN(values, out int count);
        try
        {
            return count == 0 ? 0f : CumulativeThresholdInPlace(magnitudes.AsSpan(0, count), percentile);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(magnitudes);
        }
    }

    private static float CumulativeThresholdInPlace(Span<float> span, double percentile)
    {
        int count = span.Length;
        span.Sort();
        double total = 0;
        foreach (float v in span) total += v;
        double target = total * 0.01 * percentile;
        double running = 0;
        for (int i = 0; i < count; i++)
        {
            running += span[i];
            if (running >= target) return span[i];
        }
        return span[count - 1];
    }

    /// <summary>Largest |value|, NaN ignored; 0 for empty input.</summary>
    public static float MaximumMagnitude(ReadOnlySpan<float> values)
    {
        float max = 0f;
        foreach (float v in values)
        {
            float a = MathF.Abs(v);
            if (a > max) max = a;
        }
        return max;
    }

    /// <summary>The scale for <paramref name="values"/> under <paramref name="rule"/>.</summary>
    public static float Scale(ReadOnlySpan<float> values, HeatmapScaling rule, double percentile) => rule switch
    {
        HeatmapScaling.Percentile => PercentileOfMagnitudes(values, percentile),
        HeatmapScaling.CumulativeSum => CumulativeSumThreshold(values, percentile),
        HeatmapScaling.Maximum => MaximumMagnitude(values),
        _ => throw new InvalidOptionException($"unknown heatmap scaling {rule}; use Percentile, CumulativeSum or Maximum"),
    };

    private static void CheckPercentile(double percentile)
    {
        if (!(percentile >= 0 && percentile <= 100))
            throw new InvalidOptionException($"percentile must be between 0 and 100, got {percentile}");
    }

    /// <summary>|value| of every non-NaN value, in a pooled scratch array the caller returns.</summary>
    private static float[] MagnitudesWithoutNaN(ReadOnlySpan<float> values, out int count)
    {
        var magnitudes = ArrayPool<float>.Shared.Rent(Math.Max(values.Length, 1));
        count = 0;
        foreach (float v in values)
            if (!float.IsNaN(v)) magnitudes[count++] = MathF.Abs(v);
        return magnitudes;
    }

    /// <summary>
    /// Reorders <paramref name="values"/> so index <paramref name="k"/> holds the k-th smallest value,
    /// smaller-or-equal values before it and larger-or-equal after it (Hoare partition, median of three).
    /// </summary>
    private static float Select(Span<float> values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (right > left)
        {
            int middle = left + (right - left) / 2;
            // Median of three as pivot keeps sorted and reversed inputs linear.
            float a = values[left], b = values[middle], c = values[right];
            float pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else break;
        }
        return values[k];
    }
}
