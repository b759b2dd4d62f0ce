using System.Text.Json;
using CnnLens.Attribution;
using CnnLens.Reports;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution;

/// <summary>
/// score-cam, ablation-cam and eigen-cam against pytorch-grad-cam's definitions re-implemented in
/// PyTorch (tools/make_cam_fixtures.py, Fixtures/cam), on the region model, and their errors.
/// </summary>
public class GradientFreeCamTests
{
    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Fixture("cam", "manifest.json"))).RootElement);

    private static JsonElement Entry(string model) =>
        Manifest.Value.GetProperty("models").EnumerateArray().First(m => m.GetProperty("name").GetString() == model);

    private static Tensor Expected(string model, string key) =>
        NpyFile.Read(RepositoryPaths.Fixture("cam", Entry(model).GetProperty("methods").GetProperty(key).GetProperty("file").GetString()!));

    public static IEnumerable<object[]> Cases =>
        from model in new[] { "lenet", "resnet18", "mobilenet_v2" }
        from method in new[] { "score-cam", "ablation-cam", "eigen-cam" }
        from early in new[] { false, true }
        select new object[] { model, method, early };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_reference_at_batch_1_and_2_with_mixed_targets(string model, string method, bool early)
    {
        var entry = Entry(model);
        string layer = entry.GetProperty(early ? "cam_layer_early" : "cam_layer").GetString()!;
        string suffix = early ? "_early-layer" : "";
        var m = AttributionFixtures.Model(model);

        // score-cam costs a forward pass per channel: its batch-1 case runs on lenet only (keeps the suite fast)
        if (method != "score-cam" || model == "lenet")
        {
            var single = MethodCatalog.Create(method, new MethodSettings { Layer = layer })
                .Attribute(m, AttributionFixtures.InputB1(model), [entry.GetProperty("target_b1").GetInt32()]);
            var expected = Expected(model, method + suffix);
            Assert.Equal(expected.ShapeArray, single.Values.ShapeArray);
            Assert.Equal(layer, single.Layer);
            Compare.RelativeToLargest(expected.Data, single.Values.Data, 1e-4, $"{model} {method}{suffix}");
        }

        // a batch size that splits channels unevenly and makes batches span both images
        var mixed = MethodCatalog.Create(method, new MethodSettings { Layer = layer, BatchSize = 7 })
            .Attribute(m, AttributionFixtures.InputB2(model), entry.GetProperty("targets_b2_mixed").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Compare.RelativeToLargest(Expected(model, $"{method}{suffix}_b2-mixed-targets").Data, mixed.Values.Data, 1e-4, $"{model} {method}{suffix} mixed targets");
    }

    [Theory]
    [InlineData("lenet", false)]
    [InlineData("lenet", true)]
    [InlineData("resnet18", true)]
    [InlineData("mobilenet_v2", true)]
    public void Eigen_projection_equals_the_svd_projection_up_to_its_sign(string model, bool early)
    {
        var entry = Entry(model);
        string layer = entry.GetProperty(early ? "cam_layer_early" : "cam_layer").GetString()!;
        var m = AttributionFixtures.Model(model);
        var x = AttributionFixtures.InputB2(model);
        var activation = m.Forward(x, [layer])[layer];
        var expected = Expected(model, $"eigen-projection{(early ? "_early-layer" : "")}_b2-mixed-targets");
        int c = activation.Dim(1), plane = activation.Dim(2) * activation.Dim(3);
        for (int image = 0; image < 2; image++)
        {
            var projection = EigenCam.Project(activation.Data.AsSpan(image * c * plane, c * plane), c, plane);
            var reference = expected.Data.AsSpan(image * plane, plane).ToArray();
            double dot = projection.Zip(reference, (p, r) => p * r).Sum();
            var aligned = projection.Select(p => (float)(dot >= 0 ? p : -p)).ToArray();
            Compare.RelativeToLargest(reference, aligned, 1e-4, $"{model} image {image}");
        }
    }

    [Theory]
    [InlineData("score-cam")]
    [InlineData("ablation-cam")]
    [InlineData("eigen-cam")]
    public void Region_model_puts_the_positive_mass_inside_the_box(string method)
    {
        // The layer "masked" keeps the full 32x32 resolution, so the box is resolved exactly.
        var model = TinyModels.Region();
        var x = new Tensor(1, 3, 32, 32);
        var random = new Random(3);
        for (int i = 0; i < x.Length; i++) x.Data[i] = 0.2f + (float)random.NextDouble();
        var cam = MethodCatalog.Create(method, new MethodSettings()).Attribute(model, x, [0]);
        Assert.Equal("masked", cam.Layer);
        var (top, left, height, width) = TinyModels.RegionBox;
        double inside = 0, total = 0;
        for (int y = 0; y < 32; y++)
            for (int col = 0; col < 32; col++)
            {
                double v = Math.Max(cam.Values[0, y, col], 0);
                total += v;
                if (y >= top && y < top + height && col >= left && col < left + width) inside += v;
            }
        Assert.True(total > 0, $"{method}: empty map");
        Assert.True(inside >= 0.9 * total, $"{method}: {inside / total:P1} of the positive mass inside the box");
    }

    [Fact]
    public void Ablation_runs_only_the_layers_after_the_chosen_one_and_batch_size_does_not_change_it()
    {
        var m = EngineFixtures.LoadFresh("resnet18");
        var x = AttributionFixtures.InputB1("resnet18");
        string layer = Entry("resnet18").GetProperty("cam_layer_early").GetString()!;
        long before = m.Executor.Runs;
        var one = new AblationCam(layer, batchSize: 1).Attribute(m, x);
        Assert.Equal(1, m.Executor.Runs - before); // the channels went through PartialForward, not the executor
        var many = new AblationCam(layer, batchSize: 100).Attribute(m, x);
        Compare.RelativeToLargest(one.Values.Data, many.Values.Data, 1e-5, "batch 1 vs 100");
    }

    [Fact]
    public void Progress_reaches_the_channel_count_and_cancellation_stops_between_batches()
    {
        var m = AttributionFixtures.Model("lenet");
        var x = AttributionFixtures.InputB2("lenet");
        string layer = Entry("lenet").GetProperty("cam_layer").GetString()!; // 16 channels, 2 images
        var reports = new List<AttributionProgress>();
        var cam = new ScoreCam(layer, batchSize: 5) { Progress = new SynchronousProgress(reports.Add) };
        cam.Attribute(m, x);
        Assert.Equal([5L, 10, 15, 20, 25, 30, 32], reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal(32, r.Total));

        using var source = new CancellationTokenSource();
        var cancelled = new AblationCam(layer, batchSize: 4) { Cancellation = source.Token };
        cancelled.Progress = new SynchronousProgress(_ => source.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() => cancelled.Attribute(m, x));
    }

    [Fact]
    public void Errors_are_typed_and_name_the_problem()
    {
        var m = AttributionFixtures.Model("lenet");
        var x = AttributionFixtures.InputB1("lenet");
        foreach (var method in new[] { "score-cam", "ablation-cam", "eigen-cam" })
        {
            var missing = Assert.Throws<InvalidOptionException>(() => MethodCatalog.Create(method, new MethodSettings { Layer = "/Relu_9_output_0" }).Attribute(m, x));
            Assert.Contains("nearest names: /Relu", missing.Message);
            var flat = Assert.Throws<InvalidOptionException>(() => MethodCatalog.Create(method, new MethodSettings { Layer = m.LogitsName }).Attribute(m, x));
            Assert.Contains("feature map [N,C,h,w]", flat.Message);
        }
        Assert.Throws<InvalidOptionException>(() => MethodCatalog.Create("score-cam", new MethodSettings { BatchSize = 0 }));
        var huge = Assert.Throws<InvalidOptionException>(() => new ScoreCam(batchSize: 1 << 30).Attribute(m, x));
        Assert.Contains("use a batch size below", huge.Message);
        // the region model's class-0 logit is exactly 0 on a black image: ablation-cam's weights would divide by it
        var zero = Assert.Throws<CnnLensException>(() => new AblationCam().Attribute(TinyModels.Region(), new Tensor(1, 3, 32, 32), [0]));
        Assert.Contains("exactly 0", zero.Message);
        Assert.Throws<InvalidOptionException>(() => MethodCatalog.Create("ablation-cam", new MethodSettings { BatchSize = -3 }));
    }

    private sealed class SynchronousProgress(Action<AttributionProgress> report) : IProgress<AttributionProgress>
    {
        public void Report(AttributionProgress value) => report(value);
    }
}
