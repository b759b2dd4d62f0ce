using CnnLens.Attribution;
using CnnLens.Tensors;
using CnnLens.Visualization.Maximization;

namespace CnnLens.Tests.Visualization;

/// <summary>
/// End to end on <see cref="StripeDetectorModel"/>, whose channel 0 answers vertical stripes of period
/// 4 pixels: the optimised image must excite it far more than random images do and must itself be
/// vertical stripes of that frequency (by a plain DFT of the image written here).
/// </summary>
public class ActivationMaximizationTests
{
    private static readonly Graph.Model Model = StripeDetectorModel.Load();

    private static readonly MaximizationOptions Options = new()
    {
        Steps = 100,
        LearningRate = 0.2,
        Seed = 7,
        Transforms = new TransformRobustness { Jitter = 2, MinScale = 0.95, MaxScale = 1.05, RotationDegrees = 3 },
        Mean = [0.5f],
        Std = [0.25f],
    };

    /// <summary>One optimisation of channel 0, shared by the tests that examine its image.</summary>
    private static readonly Lazy<MaximizationResult> StripeRun =
        new(() => new ActivationMaximization(Options).Run(Model, MaximizationObjective.Channel("features", 0)));

    private static double ChannelMean(Tensor image01)
    {
        var input = new InputNormalization(3, Options.Mean, Options.Std).Forward(image01);
        return ObjectiveGradient.Check(Model, input, MaximizationObjective.Channel("features", 0))[0];
    }

    [Fact]
    public void Optimised_image_excites_the_stripe_channel_ten_times_more_than_random_images()
    {
        var result = StripeRun.Value;
        Assert.Equal([1, 3, 32, 32], result.Images.ShapeArray);

        var random = new SeededRandom(123);
        double bestRandom = 0;
        for (int trial = 0; trial < 100; trial++)
        {
            var noise = new Tensor(1, 3, 32, 32);
            for (int i = 0; i < noise.Length; i++) noise.Data[i] = (float)random.NextDouble();
            bestRandom = Math.Max(bestRandom, ChannelMean(noise));
        }
        double optimised = ChannelMean(result.Images);
        Assert.Equal(optimised, result.FinalValues[0], 1e-5);
        Assert.True(optimised >= 10 * bestRandom, $"optimised {optimised:G4}, best random {bestRandom:G4}");
    }

    [Fact]
    public void Optimised_image_is_stripes_at_the_detectors_frequency()
    {
        var image = StripeRun.Value.Images;
        // Horizontal power spectrum: |DFT along x|² of each row of each channel, summed.
        const int size = StripeDetectorModel.Size;
        var power = new double[size / 2 + 1];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < size; y++)
                for (int k = 1; k < power.Length; k++)
                {
                    double re = 0, im = 0;
                    for (int x = 0; x < size; x++)
                    {
                        double v = image[0, c, y, x];
                        re += v * Math.Cos(2 * Math.PI * k * x / size);
                        im -= v * Math.Sin(2 * Math.PI * k * x / size);
                    }
                    power[k] += re * re + im * im;
                }
        int peak = Array.IndexOf(power, power.Max());
        Assert.True(peak == StripeDetectorModel.Frequency, $"peak at {peak}: " + string.Join(" ", power.Select(p => p.ToString("G3"))));
        Assert.True(power[peak] > 0.2 * power.Sum(), $"peak holds {power[peak] / power.Sum():P0} of the horizontal energy");
    }

    [Fact]
    public void Same_seed_gives_the_same_image_and_another_seed_another()
    {
        var options = Options with { Steps = 3 };
        var objective = MaximizationObjective.Channel("features", 0);
        var first = new ActivationMaximization(options).Run(Model, objective).Images;
        var second = new ActivationMaximization(options).Run(Model, objective).Images;
        var other = new ActivationMaximization(options with { Seed = 8 }).Run(Model, objective).Images;
        Assert.Equal(first.Data, second.Data);
        Assert.NotEqual(first.Data, other.Data);
    }

    [Fact]
    public void One_and_two_threads_give_the_same_image()
    {
        // The FFT splits columns and row pairs over threads and the transform's backward always sums two halves: no thread-dependent rounding.
        var objective = MaximizationObjective.Channel("features", 0);
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = new ActivationMaximization(Options with { Steps = 4 }).Run(Model, objective).Images;
            Parallelism.MaxThreads = 2;
            var two = new ActivationMaximization(Options with { Steps = 4 }).Run(Model, objective).Images;
            for (int i = 0; i < one.Length; i++) Assert.Equal(one.Data[i], two.Data[i], 1e-6);
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void Each_image_of_a_batch_is_the_image_it_would_be_alone()
    {
        // Image n draws its spectrum and transforms from (seed, n): without diversity a batch of 2 holds the single run's image first.
        var objective = MaximizationObjective.Channel("features", 0);
        var alone = new ActivationMaximization(Options with { Steps = 5 }).Run(Model, objective).Images;
        var batch = new ActivationMaximization(Options with { Steps = 5, Batch = 2 }).Run(Model, objective).Images;
        for (int i = 0; i < alone.Length; i++) Assert.Equal(alone.Data[i], batch.Data[i], 1e-5);
    }

    [Fact]
    public void Diversity_makes_a_batch_less_alike()
    {
        var channel = MaximizationObjective.Channel("features", 0);
        var diverse = new WeightedObjective([(1.0, channel), (1.0, new DiversityObjective("features"))]);
        var options = Options with { Steps = 20, Batch = 2 };
        var plain = new ActivationMaximization(options).Run(Model, channel).Images;
        var varied = new ActivationMaximization(options).Run(Model, diverse).Images;
        var input = new InputNormalization(3, Options.Mean, Options.Std);
        double Similarity(Tensor images) => -ObjectiveGradient.Check(Model, input.Forward(images), new DiversityObjective("conv")).Sum();
        Assert.True(Similarity(varied) < Similarity(plain), $"diverse {Similarity(varied):G4}, plain {Similarity(plain):G4}");
    }

    [Fact]
    public void Progress_counts_steps_and_cancellation_stops_the_run()
    {
        var reports = new List<AttributionProgress>();
        var run = new ActivationMaximization(Options with { Steps = 3 }) { Progress = new SynchronousProgress(reports.Add) };
        run.Run(Model, MaximizationObjective.Channel("features", 0));
        Assert.Equal([1L, 2, 3], reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal(3, r.Total));

        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var cancelled = new ActivationMaximization(Options) { Cancellation = cancel.Token };
        Assert.Throws<OperationCanceledException>(() => cancelled.Run(Model, MaximizationObjective.Channel("features", 0)));
    }

    [Fact]
    public void Bad_layer_and_channel_are_named_before_any_step()
    {
        var run = new ActivationMaximization(Options);
        var layer = Assert.Throws<InvalidOptionException>(() => run.Run(Model, MaximizationObjective.Channel("featurs", 0)));
        Assert.Contains("features", layer.Message);
        var channel = Assert.Throws<InvalidOptionException>(() => run.Run(Model, MaximizationObjective.Channel("features", 2)));
        Assert.Contains("0..1", channel.Message);
        Assert.Throws<InvalidOptionException>(() => run.Run(Model, MaximizationObjective.Class(5)));
    }

    [Fact]
    public void Deep_dream_raises_the_layer_norm_of_a_photo_and_keeps_pixels_in_range()
    {
        var photo = new Tensor(1, 3, 32, 32);
        for (int i = 0; i < photo.Length; i++) photo.Data[i] = 0.5f + 0.2f * MathF.Sin(i * 0.37f);
        var objective = new LayerNormObjective("features");
        var dream = new DeepDream(new DeepDreamOptions { Steps = 5, Octaves = 2, Mean = Options.Mean, Std = Options.Std, Seed = 1 });
        var result = dream.Run(Model, photo, objective);
        var input = new InputNormalization(3, Options.Mean, Options.Std);
        double before = ObjectiveGradient.Check(Model, input.Forward(photo), objective)[0];
        Assert.Equal(photo.ShapeArray, result.Images.ShapeArray);
        Assert.True(result.FinalValues[0] > 1.5 * before, $"before {before:G4}, after {result.FinalValues[0]:G4}");
        Assert.All(result.Images.Data, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(10, result.History.Length);
    }

    private sealed class SynchronousProgress(Action<AttributionProgress> report) : IProgress<AttributionProgress>
    {
        public void Report(AttributionProgress value) => report(value);
    }
}
