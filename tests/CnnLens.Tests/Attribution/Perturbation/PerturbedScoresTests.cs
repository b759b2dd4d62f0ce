using CnnLens.Attribution;
using CnnLens.Attribution.Perturbation;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution.Perturbation;

public class PerturbedScoresTests
{
    private sealed class Recorder : IProgress<AttributionProgress>
    {
        public List<AttributionProgress> Reports { get; } = [];
        public void Report(AttributionProgress value) => Reports.Add(value);
    }

    private sealed class Probe : AttributionMethod
    {
        public override string Name => "probe";
        protected override CnnLens.Attribution.Attribution Compute(CnnLens.Graph.Model model, Tensor input, int[]? targets) => throw new NotSupportedException();
    }

    /// <summary>Perturbation i lights pixel (y=8+i/8, x=16+i%8) of channel 0 inside the region: logit0 = value/1024.</summary>
    private static void LightOnePixel(int i, Span<float> image)
    {
        image.Clear();
        image[(8 + i / 8) * 32 + 16 + i % 8] = i + 1;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(64)]
    public void ScoresAreTheTargetLogitOfEachPerturbationAtAnyBatchSize(int batchSize)
    {
        var model = TinyModels.Region();
        var probe = new Probe { Progress = new Recorder() };
        var scores = PerturbedScores.Evaluate(model, [3, 32, 32], 20, LightOnePixel, target: 0, batchSize, probe);
        for (int i = 0; i < 20; i++) Assert.Equal((i + 1) / 1024f, scores[i], 6);
        var reports = ((Recorder)probe.Progress!).Reports;
        Assert.Equal((20 + batchSize - 1) / batchSize, reports.Count);
        Assert.Equal(new AttributionProgress("probe", 20, 20), reports[^1]);
    }

    [Fact]
    public void ACancelledRunStopsBeforeTheNextBatch()
    {
        using var cancel = new CancellationTokenSource();
        var recorder = new Recorder();
        var probe = new Probe { Progress = recorder, Cancellation = cancel.Token };
        var progress = new Progress<AttributionProgress>();
        int filled = 0;
        Assert.Throws<OperationCanceledException>(() => PerturbedScores.Evaluate(TinyModels.Region(), [3, 32, 32], 100,
            (i, image) => { Interlocked.Increment(ref filled); if (i == 9) cancel.Cancel(); }, 0, 10, probe));
        Assert.Equal(10, filled);
        Assert.Single(recorder.Reports);
    }

    [Fact]
    public void BatchesThatCannotFitAreRejectedBeforeAnyWork()
    {
        var e = Assert.Throws<InvalidOptionException>(() => PerturbedScores.CheckBatch([3, 224, 224], 100_000));
        Assert.Contains("--batch-size 100000", e.Message);
        Assert.Throws<InvalidOptionException>(() => PerturbedScores.CheckBatch([3, 224, 224], 0));
    }
}
