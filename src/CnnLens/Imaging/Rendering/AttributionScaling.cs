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
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Max(values.Length, 1));
        try
        {
            return PercentileOfMagnitudes(values, percentile, scratch);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Bits dropped from a float's pattern to get its histogram bucket: 8 buckets per octave.</summary>
    private const int BucketShift = 20;

    /// <summary>
    /// Selection by histogram: the top bits of a non-negative float's pattern grow with its value, so
    /// one pass counts magnitudes per bucket, the bucket holding the wanted rank is found, a second
    /// pass compacts that bucket's members, and a selection among those few finishes the job.
    /// </summary>
    private static float PercentileOfMagnitudes(ReadOnlySpan<float> values, double percentile, float[] scratch)
    {
        Span<int> histogram = stackalloc int[1 << (31 - BucketShift)];
        histogram.Clear();
        var magnitudes = scratch.AsSpan(0, values.Length);
        int count = 0;
        foreach (float v in values)
        {
            if (float.IsNaN(v)) continue;
            float magnitude = MathF.Abs(v);
            magnitudes[count++] = magnitude;
            histogram[BitConverter.SingleToInt32Bits(magnitude) >> BucketShift]++;
        }
        if (count == 0) return 0f;
        magnitudes = magnitudes[..count];

        double position = (count - 1) * (percentile / 100.0);
        int lower = Math.Min((int)Math.Floor(position), count - 1);
        double fraction = position - lower;
        int before = 0, bucket = 0;
        while (before + histogram[bucket] <= lower) before += histogram[bucket++];

        // Compact the bucket's members to the front; note the smallest value above the bucket on the way.
        int members = 0;
        float smallestAbove = float.PositiveInfinity;
        for (int i = 0; i < count; i++)
        {
            float v = magnitudes[i];
            int key = BitConverter.SingleToInt32Bits(v) >> BucketShift;
            if (key == bucket) magnitudes[members++] = v;
            else if (key > bucket && v < smallestAbove) smallestAbove = v;
        }
        var inBucket = magnitudes[..members];
        int rank = lower - before;
        float low = Select(inBucket, rank);
        if (fraction == 0 || lower == count - 1) return low;

        // The next order statistic: the smallest member after the selected one, else the smallest value above the bucket.
        float high = smallestAbove;
        if (rank + 1 < members)
        {
            high = float.PositiveInfinity;
            foreach (float v in inBucket[(rank + 1)..]) if (v < high) high = v;
        }
        // numpy's lerp, written from the nearer end so it stays monotone.
        double result = fraction < 0.5 ? low + (high - low) * fraction : high - (high - low) * (1 - fraction);
        return (float)result;
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
