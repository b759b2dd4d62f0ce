using CnnLens.Attribution;

namespace CnnLens.Tests.Attribution;

public class SeededRandomTests
{
    [Fact]
    public void Same_seed_and_stream_give_the_same_sequence_and_other_streams_differ()
    {
        var a = new SeededRandom(42, 3, 7);
        var b = new SeededRandom(42, 3, 7);
        var c = new SeededRandom(42, 3, 8);
        var first = Enumerable.Range(0, 100).Select(_ => a.NextULong()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 100).Select(_ => b.NextULong()).ToArray());
        Assert.NotEqual(first, Enumerable.Range(0, 100).Select(_ => c.NextULong()).ToArray());
    }

    [Fact]
    public void Gaussian_draws_have_zero_mean_and_unit_variance()
    {
        var random = new SeededRandom(1);
        const int count = 200_000;
        double sum = 0, sumOfSquares = 0;
        for (int i = 0; i < count; i++)
        {
            double v = random.NextGaussian();
            sum += v;
            sumOfSquares += v * v;
        }
        double mean = sum / count;
        // Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance; allow 4 of them.
        Assert.InRange(mean, -0.009, 0.009);
        Assert.InRange(sumOfSquares / count - mean * mean, 1 - 0.013, 1 + 0.013);
    }

    [Fact]
    public void Uniform_draws_stay_in_the_unit_interval_and_fill_it()
    {
        var random = new SeededRandom(9);
        var buckets = new int[10];
        for (int i = 0; i < 100_000; i++)
        {
            double u = random.NextDouble();
            Assert.InRange(u, 0.0, 1.0 - double.Epsilon);
            buckets[(int)(u * 10)]++;
        }
        Assert.All(buckets, b => Assert.InRange(b, 9_500, 10_500));
    }
}
