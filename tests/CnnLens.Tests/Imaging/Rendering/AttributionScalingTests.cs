using CnnLens.Imaging.Rendering;

namespace CnnLens.Tests.Imaging.Rendering;

public class AttributionScalingTests
{
    [Fact]
    public void Percentile_interpolates_linearly_between_sorted_magnitudes()
    {
        // |values| sorted: 1 2 3 4. Position (n-1)p/100: p=50 -> 1.5 -> 2.5; p=99.5 -> 2.985 -> 3.985.
        float[] values = [3f, -1f, -4f, 2f];
        Assert.Equal(2.5f, AttributionScaling.PercentileOfMagnitudes(values, 50), 6);
        Assert.Equal(3.985f, AttributionScaling.PercentileOfMagnitudes(values, 99.5), 5);
        Assert.Equal(1f, AttributionScaling.PercentileOfMagnitudes(values, 0));
        Assert.Equal(4f, AttributionScaling.PercentileOfMagnitudes(values, 100));
        // p=25 -> position 0.75 -> 1 + 0.75.
        Assert.Equal(1.75f, AttributionScaling.PercentileOfMagnitudes(values, 25), 6);
    }

    [Fact]
    public void Percentile_ignores_NaN_and_handles_empty_input()
    {
        float[] values = [float.NaN, -2f, float.NaN, 6f];
        Assert.Equal(4f, AttributionScaling.PercentileOfMagnitudes(values, 50), 6);
        Assert.Equal(0f, AttributionScaling.PercentileOfMagnitudes([], 99.5));
        Assert.Equal(0f, AttributionScaling.PercentileOfMagnitudes([float.NaN], 99.5));
    }

    [Fact]
    public void Percentile_handles_many_ties()
    {
        var values = new float[1001];
        for (int i = 0; i < values.Length; i++) values[i] = i % 3 == 0 ? 5f : -1f;
        // 334 fives, 667 ones: position 0.9*1000 = 900 is a five, 0.5*1000 = 500 is a one.
        Assert.Equal(5f, AttributionScaling.PercentileOfMagnitudes(values, 90));
        Assert.Equal(1f, AttributionScaling.PercentileOfMagnitudes(values, 50));
    }

    [Fact]
    public void Percentile_neighbours_in_different_magnitude_ranges_and_duplicates()
    {
        // 2 and 4 differ in exponent: position 1.5 of 1 2 4 8 -> 3.
        Assert.Equal(3f, AttributionScaling.PercentileOfMagnitudes([8f, -1f, 4f, 2f], 50));
        // 2 2 2 5: position 1.5 -> 2; position 2.7 -> 2 + 0.7 * 3 = 4.1.
        Assert.Equal(2f, AttributionScaling.PercentileOfMagnitudes([2f, -5f, 2f, -2f], 50));
        Assert.Equal(4.1f, AttributionScaling.PercentileOfMagnitudes([2f, -5f, 2f, -2f], 90), 5);
    }

    [Fact]
    public void Percentile_equals_sorted_reference_on_random_values_with_ties_and_zeros()
    {
        var random = new Random(5);
        foreach (int n in new[] { 3, 17, 256, 3001 })
        {
            var values = new float[n];
            for (int i = 0; i < n; i++)
                values[i] = random.Next(4) switch
                {
                    0 => 0f,
                    1 => (float)Math.Round(random.NextDouble() * 4, 1) * (random.Next(2) == 0 ? -1 : 1),
                    _ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 6))),
                };
            var sorted = values.Select(MathF.Abs).Select(v => (double)v).Order().ToArray();
            foreach (double p in new[] { 0.0, 1.0, 33.3, 50.0, 97.5, 99.5, 100.0 })
            {
                double position = (n - 1) * p / 100;
                int lower = (int)Math.Floor(position);
                double expected = lower >= n - 1 ? sorted[n - 1] : sorted[lower] + (sorted[lower + 1] - sorted[lower]) * (position - lower);
                float actual = AttributionScaling.PercentileOfMagnitudes(values, p);
                Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"n={n} p={p}: {actual} vs {expected}");
            }
        }
    }

    [Fact]
    public void Cumulative_sum_threshold_is_first_magnitude_whose_running_sum_reaches_p_percent()
    {
        // Sorted 1 2 3 4, running sums 1 3 6 10. 98% of 10 = 9.8 -> 4; 50% = 5 -> 3; 10% = 1 -> 1.
        float[] values = [-4f, 3f, 1f, -2f];
        Assert.Equal(4f, AttributionScaling.CumulativeSumThreshold(values, 98));
        Assert.Equal(3f, AttributionScaling.CumulativeSumThreshold(values, 50));
        Assert.Equal(1f, AttributionScaling.CumulativeSumThreshold(values, 10));
    }

    [Fact]
    public void Scales_equal_numpy_percentile_and_captum_threshold_on_random_maps()
    {
        using var fixture = RenderingFixtures.Load("scaling.json");
        foreach (var entry in fixture.RootElement.EnumerateArray())
        {
            float[] values = RenderingFixtures.Floats(entry.GetProperty("values"));
            foreach (var p in entry.GetProperty("percentiles").EnumerateObject())
            {
                double expected = p.Value.GetDouble();
                float actual = AttributionScaling.PercentileOfMagnitudes(values, double.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, expected), $"n={values.Length} p={p.Name}: {actual} vs {expected}");
            }
            foreach (var p in entry.GetProperty("cumulative").EnumerateObject())
            {
                float actual = AttributionScaling.CumulativeSumThreshold(values, double.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal((float)p.Value.GetDouble(), actual);
            }
        }
    }

    [Fact]
    public void Maximum_is_largest_magnitude()
    {
        Assert.Equal(7f, AttributionScaling.MaximumMagnitude([1f, -7f, float.NaN, 3f]));
        Assert.Equal(7f, AttributionScaling.Scale([1f, -7f, 3f], HeatmapScaling.Maximum, 50));
    }

    [Fact]
    public void Percentile_outside_0_to_100_is_rejected()
    {
        Assert.Throws<InvalidOptionException>(() => AttributionScaling.PercentileOfMagnitudes([1f], 100.5));
        Assert.Throws<InvalidOptionException>(() => AttributionScaling.CumulativeSumThreshold([1f], -1));
        Assert.Throws<InvalidOptionException>(() => AttributionScaling.PercentileOfMagnitudes([1f], double.NaN));
    }
}
