using System.Diagnostics;
using System.Globalization;
using CnnLens.Graph;
using CnnLens.Tensors;
using CnnLens.Visualization.Maximization;

namespace CnnLens.Benchmarks;

/// <summary>
/// `-- maximize MODEL.onnx LAYER CHANNEL [STEPS] [THREADS]`: milliseconds per activation-maximisation
/// step at the model's input size (a whole step: spectrum, colours, transform, forward, reverse pass,
/// VJPs, Adam), and of the model's forward + reverse pass alone on the same kind of batch, as JSON
/// lines for tools/bench_maximize.py to compare with PyTorch.
/// </summary>
public static class MaximizeMeasurement
{
    public static void Run(string[] args)
    {
        if (args.Length < 4) throw new ArgumentException("usage: maximize MODEL.onnx LAYER CHANNEL [STEPS] [THREADS]");
        string path = args[1], layer = args[2];
        int channel = int.Parse(args[3], CultureInfo.InvariantCulture);
        int steps = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20;
        Parallelism.MaxThreads = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 2;
        var model = Model.Load(path);
        var objective = MaximizationObjective.Channel(layer, channel);
        var size = ModelImageSize.Fixed(model)?.Height ?? 224;

        // Warm-up run (JIT, packed weights); the network passes alone, then each step timed through the progress callback.
        new ActivationMaximization(new MaximizationOptions { Steps = 2, Size = ModelImageSize.Fixed(model) is null ? size : null }).Run(model, objective);
        var random = new Random(1);
        var input = new Tensor(1, 3, size, size);
        for (int i = 0; i < input.Length; i++) input.Data[i] = (float)(random.NextDouble() * 2 - 1);
        var passTimes = new List<double>();
        for (int r = 0; r < steps + 2; r++)
        {
            var start = Stopwatch.GetTimestamp();
            ObjectiveGradient.Compute(model, input, objective);
            if (r >= 2) passTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Report("forward-backward", passTimes, steps);

        var stepTimes = new List<double>();
        var clock = Stopwatch.StartNew();
        double last = 0;
        var run = new ActivationMaximization(new MaximizationOptions { Steps = steps, Size = ModelImageSize.Fixed(model) is null ? size : null })
        {
            Progress = new Callback(_ =>
            {
                double now = clock.Elapsed.TotalMilliseconds;
                stepTimes.Add(now - last);
                last = now;
            }),
        };
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        clock.Restart();
        run.Run(model, objective);
        process.Refresh();
        Report("maximize-step", stepTimes, steps);
        // Whole run (with its one checking forward pass and the final render) over the steps: CPU of both threads and allocation.
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"framework\":\"cnnlens\",\"task\":\"maximize-step-cpu\",\"mean_cpu_ms\":{(process.TotalProcessorTime - cpuStart).TotalMilliseconds / steps:F3},\"allocated_mb_per_step\":{(GC.GetTotalAllocatedBytes(precise: true) - bytes) / 1e6 / steps:F3},\"runs\":{steps}}}"));

        // The parameterisation alone: spectrum to image and back (the rest of a step beside the network).
        var fourier = new FourierParameterization(3, size, size);
        var parameters = fourier.Initial(1, 0);
        var renderTimes = new List<double>();
        for (int r = 0; r < steps + 2; r++)
        {
            var start = Stopwatch.GetTimestamp();
            var image = ActivationMaximization.Render(fourier, parameters, decorrelate: true);
            ActivationMaximization.BackwardRender(fourier, image, image, decorrelate: true);
            if (r >= 2) renderTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Report("parameterization-forward-backward", renderTimes, steps);

        // The transform and normalisation stages with their VJPs (the rest of a step beside the network and Adam).
        var normalization = new InputNormalization(3, null, null);
        var robustness = new TransformRobustness();
        var rendered = ActivationMaximization.Render(fourier, parameters, decorrelate: true);
        var transformTimes = new List<double>();
        for (int r = 0; r < steps + 2; r++)
        {
            var start = Stopwatch.GetTimestamp();
            var transform = robustness.Draw(size, size, 0, r, 0);
            var seen = new Tensor(rendered.ShapeArray);
            transform.Apply(rendered, seen, 0);
            var normalized = normalization.Forward(seen);
            var back = new Tensor(rendered.ShapeArray);
            transform.Backward(normalization.Backward(normalized), back, 0);
            if (r >= 2) transformTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Report("transform-normalize-forward-backward", transformTimes, steps);

        MaximizeStages.Run(size, steps);
    }

    private static void Report(string task, List<double> times, int steps)
    {
        var sorted = times.OrderBy(t => t).ToArray();
        double median = sorted[sorted.Length / 2];
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"framework\":\"cnnlens\",\"task\":\"{task}\",\"median_ms\":{median:F3},\"min_ms\":{sorted[0]:F3},\"runs\":{sorted.Length},\"threads\":{Parallelism.MaxThreads}}}"));
    }

    private sealed class Callback(Action<Attribution.AttributionProgress> report) : IProgress<Attribution.AttributionProgress>
    {
        public void Report(Attribution.AttributionProgress value) => report(value);
    }
}
