using System.Text.Json;
using CnnLens.Attribution;
using CnnLens.Attribution.Perturbation;
using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution.Perturbation;

/// <summary>
/// occlusion and feature-ablation against a plain loop over windows / features written here,
/// against Captum's semantics computed in PyTorch (tools/make_perturbation_fixtures.py), and on
/// the region model; incremental and full forward must agree.
/// </summary>
public class OcclusionTests
{
    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Fixture("perturbation", "manifest.json"))).RootElement);

    public static IEnumerable<object[]> Cases() =>
        Enumerable.Range(0, Manifest.Value.GetProperty("cases").GetArrayLength()).SelectMany(i => new[] { new object[] { i, false }, [i, true] });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_captum_semantics_computed_in_pytorch(int index, bool fullForward)
    {
        var entry = Manifest.Value.GetProperty("cases")[index];
        string model = entry.GetProperty("model").GetString()!, method = entry.GetProperty("method").GetString()!;
        var options = entry.GetProperty("options");
        var baseline = options.GetProperty("baseline").GetString() == "mean" ? Baseline.Mean : Baseline.Zero;
        AttributionMethod explainer = method == "occlusion"
            ? new Occlusion(new OcclusionOptions { Window = Ints(options, "window"), Strides = Ints(options, "stride"), Baseline = baseline, BatchSize = 7, FullForward = fullForward })
            : new FeatureAblation(new FeatureAblationOptions
            {
                Features = FeatureMaskSource.Grid(Ints(options, "grid")[0], Ints(options, "grid")[1]), Baseline = baseline, BatchSize = 7, FullForward = fullForward,
            });
        var result = explainer.Attribute(EngineFixtures.Load(model), EngineFixtures.Read(model, "input_b1"), entry.GetProperty("target").GetInt32());
        var expected = NpyFile.Read(RepositoryPaths.Fixture("perturbation", entry.GetProperty("file").GetString()!));
        Assert.Equal(expected.ShapeArray, result.Values.ShapeArray);
        // Attributions are differences of float32 logits (resnet18's reach 110): 1e-4 of the largest attribution.
        Compare.RelativeToLargest(expected.Data, result.Values.Data, 1e-4, $"{model} {method} #{index}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Occlusion_equals_a_plain_loop_over_windows(bool fullForward)
    {
        var model = EngineFixtures.Load("resnet18");
        var image = EngineFixtures.Read("resnet18", "input_b1");
        int[] window = [2, 20, 24], stride = [1, 16, 20]; // windows cut at the far edges in every dimension
        var result = new Occlusion(new OcclusionOptions { Window = window, Strides = stride, Baseline = Baseline.Blur, BatchSize = 5, FullForward = fullForward })
            .Attribute(model, image, 3);

        var reference = Baseline.Blur.For(image);
        int c = 3, h = 64, w = 64;
        var sum = new double[c * h * w];
        var count = new int[c * h * w];
        float original = model.Predict(image)[0, 3];
        var starts = new List<(int, int, int)>();
        for (int c0 = 0; ; c0 += stride[0]) { for (int y0 = 0; ; y0 += stride[1]) { for (int x0 = 0; ; x0 += stride[2]) { starts.Add((c0, y0, x0)); if (x0 + window[2] >= w) break; } if (y0 + window[1] >= h) break; } if (c0 + window[0] >= c) break; }
        Assert.Equal(2 * 4 * 3, starts.Count); // ceil((3-2)/1)+1, ceil((64-20)/16)+1, ceil((64-24)/20)+1
        foreach (var (c0, y0, x0) in starts)
        {
            var perturbed = image.Clone();
            bool Inside(int ch, int y, int x) => ch >= c0 && ch < c0 + window[0] && y >= y0 && y < y0 + window[1] && x >= x0 && x < x0 + window[2];
            for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++)
                if (Inside(ch, y, x)) perturbed[0, ch, y, x] = reference[0, ch, y, x];
            double drop = original - model.Predict(perturbed)[0, 3];
            for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++)
                if (Inside(ch, y, x)) { sum[(ch * h + y) * w + x] += drop; count[(ch * h + y) * w + x]++; }
        }
        var expected = sum.Select((s, i) => (float)(s / count[i])).ToArray();
        Compare.RelativeToLargest(expected, result.Values.Data, 1e-5, "occlusion");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Feature_ablation_equals_a_plain_loop_over_features_of_any_mask(bool fullForward)
    {
        var model = EngineFixtures.Load("lenet");
        var image = EngineFixtures.Read("lenet", "input_b1");
        // Irregular features: diagonal bands and one scattered feature, labels with gaps.
        var labels = new int[28 * 28];
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) labels[y * 28 + x] = (x + y) % 11 == 0 ? -5 : 10 * ((x + 2 * y) / 9);
        var mask = FeatureMask.FromLabels(28, 28, labels);
        var result = new FeatureAblation(new FeatureAblationOptions { Features = FeatureMaskSource.Fixed(mask, "test"), Baseline = Baseline.Mean, BatchSize = 4, FullForward = fullForward })
            .Attribute(model, image, 2);

        var reference = Baseline.Mean.For(image);
        float original = model.Predict(image)[0, 2];
        var expected = new float[28 * 28];
        for (int f = 0; f < mask.Count; f++)
        {
            var perturbed = image.Clone();
            for (int p = 0; p < 28 * 28; p++) if (mask.Labels[p] == f) perturbed.Data[p] = reference.Data[p];
            float drop = original - model.Predict(perturbed)[0, 2];
            for (int p = 0; p < 28 * 28; p++) if (mask.Labels[p] == f) expected[p] = drop;
        }
        Compare.RelativeToLargest(expected, result.Values.Data, 1e-5, "feature-ablation");
    }

    [Fact]
    public void Feature_ablation_gives_every_channel_the_same_value()
    {
        var result = new FeatureAblation(new FeatureAblationOptions { Features = FeatureMaskSource.Grid(8, 8) })
            .Attribute(EngineFixtures.Load("resnet18"), EngineFixtures.Read("resnet18", "input_b1"), 0);
        var v = result.Values;
        for (int y = 0; y < 64; y += 5) for (int x = 0; x < 64; x += 7)
        {
            Assert.Equal(v[0, 0, y, x], v[0, 1, y, x]);
            Assert.Equal(v[0, 0, y, x], v[0, 2, y, x]);
        }
    }

    public static IEnumerable<object[]> RegionMethods() =>
    [
        // Windows that straddle the box spread its evidence onto outside pixels, so they tile it here.
        [new Occlusion(new OcclusionOptions { Window = [3, 4, 4], Strides = [3, 4, 4] })],
        [new FeatureAblation(new FeatureAblationOptions { Features = FeatureMaskSource.Grid(4, 4) })],
    ];

    [Theory]
    [MemberData(nameof(RegionMethods))]
    public void Positive_attribution_lies_in_the_region_the_logit_reads(AttributionMethod method)
    {
        var image = new Tensor(1, 3, 32, 32);
        for (int i = 0; i < image.Length; i++) image.Data[i] = 0.5f + 0.5f * MathF.Sin(i * 0.37f) * MathF.Sin(i * 0.37f);
        var values = method.Attribute(TinyModels.Region(), image, 0).Values;
        var (top, left, height, width) = TinyModels.RegionBox;
        double inside = 0, total = 0;
        for (int c = 0; c < 3; c++) for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++)
        {
            double v = Math.Max(0, values[0, c, y, x]);
            total += v;
            if (y >= top && y < top + height && x >= left && x < left + width) inside += v;
        }
        Assert.True(total > 0);
        Assert.True(inside >= 0.9 * total, $"{method.Name}: {inside / total:P1} of the positive mass in the region");
    }

    [Fact]
    public void Results_do_not_depend_on_the_batch_size()
    {
        var model = EngineFixtures.Load("resnet18");
        var image = EngineFixtures.Read("resnet18", "input_b1");
        var one = new Occlusion(new OcclusionOptions { Window = [3, 16, 16], Strides = [3, 12, 12], BatchSize = 1 }).Attribute(model, image, 1);
        var many = new Occlusion(new OcclusionOptions { Window = [3, 16, 16], Strides = [3, 12, 12], BatchSize = 11 }).Attribute(model, image, 1);
        Compare.RelativeToLargest(one.Values.Data, many.Values.Data, 1e-5, "batch 1 vs 11");
    }

    [Fact]
    public void Explains_each_image_of_a_batch_and_reports_progress()
    {
        var model = EngineFixtures.Load("lenet");
        var batch = Batch.Slice(EngineFixtures.Read("lenet", "input_b4"), 0, 2);
        var progress = new List<AttributionProgress>();
        var method = new Occlusion(new OcclusionOptions { Window = [1, 7, 7], Strides = [1, 7, 7], BatchSize = 3 }) { Progress = new Synchronous(progress) };
        var both = method.Attribute(model, batch, [1, 4]);
        var second = new Occlusion(new OcclusionOptions { Window = [1, 7, 7], Strides = [1, 7, 7] }).Attribute(model, Batch.Slice(batch, 1, 1), 4);
        Compare.RelativeToLargest(second.Values.Data, both.Values.Data.AsSpan(28 * 28), 1e-6, "second image");
        Assert.Equal(new long[] { 3, 6, 9, 12, 15, 16, 3, 6, 9, 12, 15, 16 }, progress.Select(p => p.Done));
        Assert.All(progress, p => Assert.Equal(16, p.Total));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cancellation_stops_between_batches(bool fullForward)
    {
        using var cancel = new CancellationTokenSource();
        var method = new Occlusion(new OcclusionOptions { Window = [1, 7, 7], Strides = [1, 7, 7], BatchSize = 2, FullForward = fullForward });
        method.Progress = new Synchronous([], _ => cancel.Cancel());
        method.Cancellation = cancel.Token;
        Assert.Throws<OperationCanceledException>(() => method.Attribute(EngineFixtures.Load("lenet"), EngineFixtures.Read("lenet", "input_b1"), 0));
    }

    public static IEnumerable<object[]> BadOptions() =>
    [
        [new OcclusionOptions { Window = [1, 29, 4] }, "larger than the image"],
        [new OcclusionOptions { Window = [2, 4, 4] }, "larger than the image"],
        [new OcclusionOptions { Window = [1, 4, 4], Strides = [1, 0, 2] }, "at least 1"],
        [new OcclusionOptions { Window = [1, 4, 4], Strides = [1, 2, -3] }, "at least 1"],
        [new OcclusionOptions { Window = [1, 4, 4], Strides = [1, 5, 2] }, "larger than the window"],
        [new OcclusionOptions { Window = [4, 4] }, "3 values"],
        [new OcclusionOptions { Window = [1, 4, 4], Strides = [1, 1, 1, 1] }, "3 values"],
        [new OcclusionOptions { Window = [0, 4, 4] }, "at least 1"],
        [new OcclusionOptions { BatchSize = 0 }, "--batch-size"],
        [new OcclusionOptions { BatchSize = 1 << 30 }, "use a batch size below"],
    ];

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_fail_before_any_forward_pass(OcclusionOptions options, string message)
    {
        var model = EngineFixtures.LoadFresh("lenet");
        long runs = model.Executor.Runs;
        var error = Assert.Throws<InvalidOptionException>(() => new Occlusion(options).Attribute(model, EngineFixtures.Read("lenet", "input_b1"), 0));
        Assert.Contains(message, error.Message);
        Assert.Equal(runs, model.Executor.Runs);
    }

    [Fact]
    public void Feature_ablation_refuses_a_batch_too_large_for_memory_before_any_forward_pass()
    {
        var model = EngineFixtures.LoadFresh("lenet");
        long runs = model.Executor.Runs;
        Assert.Throws<InvalidOptionException>(() => new FeatureAblation(new FeatureAblationOptions { BatchSize = 1 << 30 }).Attribute(model, EngineFixtures.Read("lenet", "input_b1"), 0));
        Assert.Equal(runs, model.Executor.Runs);
    }

    [Fact]
    public void The_catalog_builds_both_methods_from_settings()
    {
        var occlusion = (Occlusion)MethodCatalog.Create("occlusion", new MethodSettings { Window = [1, 2, 3], Strides = [1, 1, 1], BatchSize = 4, FullForward = true, Baseline = Baseline.Mean });
        Assert.Equal([1, 2, 3], occlusion.Options.Window!);
        Assert.True(occlusion.Options.FullForward);
        Assert.Equal(4, occlusion.Options.BatchSize);
        var ablation = (FeatureAblation)MethodCatalog.Create("feature-ablation", new MethodSettings { Features = FeatureMaskSource.Grid(3, 5) });
        Assert.Equal("grid:3x5", ablation.Options.Features.ToString());
    }

    private static int[] Ints(JsonElement options, string key) => options.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>Records progress on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Synchronous(List<AttributionProgress> reports, Action<AttributionProgress>? then = null) : IProgress<AttributionProgress>
    {
        public void Report(AttributionProgress value)
        {
            reports.Add(value);
            then?.Invoke(value);
        }
    }
}
