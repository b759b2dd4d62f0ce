using CnnLens.Attribution;
using CnnLens.Attribution.Perturbation;
using CnnLens.Cli;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution.Perturbation;

/// <summary>What rise, lime, kernel-shap and shapley-sampling share: faithfulness on the region model, determinism, option errors.</summary>
public class SamplingMethodTests
{
    /// <summary>An image with positive pixels everywhere, so all evidence for class 0 lies in the region box.</summary>
    private static Tensor RegionImage()
    {
        var x = new Tensor(1, 3, 32, 32);
        for (int i = 0; i < x.Length; i++) x.Data[i] = 0.3f + (i * 37 % 17) / 20f;
        return x;
    }

    private static AttributionMethod Create(string name, int batchSize, long seed = 3, FeatureMaskSource? features = null)
    {
        features ??= FeatureMaskSource.Grid(8, 8);
        return name switch
        {
            "rise" => new Rise(new RiseOptions { Samples = 70, GridSize = 8, Seed = seed, BatchSize = batchSize }),
            "lime" => new Lime(new LimeOptions { Samples = 70, Features = features, Seed = seed, BatchSize = batchSize }),
            "kernel-shap" => new KernelShap(new KernelShapOptions { Samples = 70, Features = features, Seed = seed, BatchSize = batchSize }),
            _ => new ShapleyValueSampling(new ShapleySamplingOptions { Samples = 4, Features = features, Seed = seed, BatchSize = batchSize }),
        };
    }

    private static bool InBox(int pixel)
    {
        var (top, left, height, width) = TinyModels.RegionBox;
        int y = pixel / 32, x = pixel % 32;
        return y >= top && y < top + height && x >= left && x < left + width;
    }

    [Theory]
    [InlineData("lime")]
    [InlineData("kernel-shap")]
    [InlineData("shapley-sampling")]
    public void Feature_methods_put_the_positive_evidence_inside_the_region(string name)
    {
        var values = Create(name, 16).Attribute(TinyModels.Region(), RegionImage(), [0]).Values;
        Assert.Equal([1, 32, 32], values.ShapeArray);
        double inside = 0, total = 0;
        for (int p = 0; p < 1024; p++)
            if (values.Data[p] > 0)
            {
                total += values.Data[p];
                if (InBox(p)) inside += values.Data[p];
            }
        Assert.True(total > 0 && inside >= 0.9 * total, $"{name}: {inside / total:P1} of the positive mass inside the box");
    }

    /// <summary>
    /// RISE's map is E[score·M]/p, which carries the constant E[score] everywhere (the paper's maps are
    /// min-max normalised for display), so mass shares do not apply; what must hold is that every pixel of
    /// the box outranks every pixel more than one mask cell (4 px) away from it.
    /// </summary>
    [Fact]
    public void Rise_ranks_the_region_above_everything_a_cell_away_from_it()
    {
        var values = new Rise(new RiseOptions { Samples = 1500, GridSize = 8, Seed = 1, BatchSize = 64 }).Attribute(TinyModels.Region(), RegionImage(), [0]).Values;
        var (top, left, height, width) = TinyModels.RegionBox;
        float lowestInside = float.MaxValue, highestFar = float.MinValue;
        for (int p = 0; p < 1024; p++)
        {
            int y = p / 32, x = p % 32;
            int dy = Math.Max(Math.Max(top - y, y - (top + height - 1)), 0), dx = Math.Max(Math.Max(left - x, x - (left + width - 1)), 0);
            if (InBox(p)) lowestInside = Math.Min(lowestInside, values.Data[p]);
            else if (Math.Max(dy, dx) > 4) highestFar = Math.Max(highestFar, values.Data[p]);
        }
        Assert.True(lowestInside > highestFar, $"lowest in the box {lowestInside}, highest far away {highestFar}");
    }

    /// <summary>
    /// RISE on the region model; the feature methods on the interacting model, whose Shapley values an
    /// estimate from few samples cannot hit exactly, so the samples drawn show in the numbers.
    /// </summary>
    [Theory]
    [InlineData("rise")]
    [InlineData("lime")]
    [InlineData("kernel-shap")]
    [InlineData("shapley-sampling")]
    public void The_same_seed_gives_the_same_numbers_at_any_batch_size_and_thread_count(string name)
    {
        bool rise = name == "rise";
        var model = rise ? TinyModels.Region() : SamplingModels.Interacting();
        var x = rise ? Batch.Concat(RegionImage(), Tensor.Filled([1, 3, 32, 32], 0.6f))
                     : Batch.Concat(SamplingModels.InteractingInput(), new Tensor([1, 1, 2, 2], [-0.4f, 1.1f, 0.5f, 0.8f]));
        var pixels = FeatureMaskSource.Grid(1, 1);
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var reference = Create(name, 1, features: pixels).Attribute(model, x, [0, 0]);
            foreach (var (batchSize, threads) in new[] { (7, 1), (64, 2), (7, 2) })
            {
                Parallelism.MaxThreads = threads;
                var other = Create(name, batchSize, features: pixels).Attribute(model, x, [0, 0]);
                Compare.RelativeToLargest(reference.Values.Data, other.Values.Data, 1e-6, $"{name} at batch {batchSize}, {threads} threads");
            }
            var reseeded = Create(name, 16, seed: 4, features: pixels).Attribute(model, x, [0, 0]);
            Assert.True(Compare.MaxAbsDifference(reseeded.Values.Data, reference.Values.Data) > 1e-4, "another seed must draw other samples");
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Theory]
    [InlineData("rise")]
    [InlineData("lime")]
    [InlineData("kernel-shap")]
    [InlineData("shapley-sampling")]
    public void A_cancelled_run_throws_instead_of_returning_a_partial_map(string name)
    {
        using var cancel = new CancellationTokenSource();
        var method = Create(name, 8);
        int batches = 0;
        method.Progress = new Recorder(new List<AttributionProgress>(), () => { if (++batches == 2) cancel.Cancel(); });
        method.Cancellation = cancel.Token;
        Assert.Throws<OperationCanceledException>(() => method.Attribute(TinyModels.Region(), RegionImage(), [0]));
        Assert.Equal(2, batches);
    }

    [Fact]
    public void Progress_counts_the_model_evaluations()
    {
        var reports = new List<AttributionProgress>();
        var rise = new Rise(new RiseOptions { Samples = 30, BatchSize = 8 }) { Progress = new Recorder(reports) };
        rise.Attribute(TinyModels.Region(), RegionImage(), [0]);
        Assert.Equal([8, 16, 24, 30], reports.Select(r => (int)r.Done));
        Assert.All(reports, r => Assert.Equal(("rise", 30L), (r.Method, r.Total)));
    }

    private sealed class Recorder(List<AttributionProgress> reports, Action? onReport = null) : IProgress<AttributionProgress>
    {
        public void Report(AttributionProgress value)
        {
            reports.Add(value);
            onReport?.Invoke();
        }
    }

    [Fact]
    public void Bad_options_are_clear_errors_before_any_work()
    {
        Assert.Contains("--samples", Assert.Throws<InvalidOptionException>(() => new Rise(new RiseOptions { Samples = 0 })).Message);
        Assert.Throws<InvalidOptionException>(() => new Lime(new LimeOptions { Samples = 0 }));
        Assert.Throws<InvalidOptionException>(() => new KernelShap(new KernelShapOptions { Samples = 1 }));
        Assert.Throws<InvalidOptionException>(() => new ShapleyValueSampling(new ShapleySamplingOptions { Samples = 0 }));
        foreach (double p in new[] { 0, 1, 1.5, -0.1, double.NaN })
            Assert.Contains("--mask-probability", Assert.Throws<InvalidOptionException>(() => new Rise(new RiseOptions { Probability = p })).Message);
        Assert.Throws<InvalidOptionException>(() => new Rise(new RiseOptions { GridSize = 0 }));
        Assert.Throws<InvalidOptionException>(() => new Lime(new LimeOptions { KernelWidth = 0 }));
        Assert.Throws<InvalidOptionException>(() => MethodCatalog.Create("rise", new MethodSettings { MaskProbability = 2 }));

        // Too many samples for memory: refused before the model runs (the model would take hours).
        var x = RegionImage();
        var grid = FeatureMaskSource.Grid(8, 8);
        Assert.Contains("MB", Assert.Throws<InvalidOptionException>(() => new Rise(new RiseOptions { Samples = int.MaxValue }).Attribute(TinyModels.Region(), x)).Message);
        Assert.Throws<InvalidOptionException>(() => new Lime(new LimeOptions { Samples = 500_000_000, Features = grid }).Attribute(TinyModels.Region(), x));
        Assert.Throws<InvalidOptionException>(() => new KernelShap(new KernelShapOptions { Samples = 500_000_000, Features = grid }).Attribute(TinyModels.Region(), x));
        Assert.Throws<InvalidOptionException>(() => new ShapleyValueSampling(new ShapleySamplingOptions { Samples = 500_000_000, Features = grid }).Attribute(TinyModels.Region(), x));
        Assert.Throws<InvalidOptionException>(() => new Lime(new LimeOptions { BatchSize = 10_000_000 }).Attribute(TinyModels.Region(), x));
    }

    [Fact]
    public void The_features_option_reads_superpixels()
    {
        Assert.Equal("slic:30,5", FeatureMaskOption.Parse("slic:30,5")!.ToString());
        Assert.Equal("slic:50,10", FeatureMaskOption.Parse("slic:50")!.ToString());
        foreach (string bad in new[] { "slic:0", "slic:", "slic:ten", "slic:10,0", "slic:10,-2", "slic:10,5,1" })
            Assert.Contains("slic:N", Assert.Throws<InvalidOptionException>(() => FeatureMaskOption.Parse(bad)).Message);
        var mask = FeatureMaskOption.Parse("slic:4")!.For(Tensor.Filled([3, 32, 32], 1f));
        Assert.Equal(4, mask.Count);
    }
}
