using System.Diagnostics;
using System.Globalization;
using CnnLens.Tensors;
using CnnLens.Visualization.Maximization;

namespace CnnLens.Benchmarks;

/// <summary>
/// The part of an activation-maximisation step outside the network, stage by stage, as
/// <see cref="ActivationMaximization"/> runs it (same buffers, same calls): milliseconds per stage
/// (median over the runs), the whole of them in wall and process CPU time, and bytes allocated per step.
/// One JSON line per stage, task "stage:NAME".
/// </summary>
public static class MaximizeStages
{
    public static void Run(int size, int runs)
    {
        int[] shape = [1, 3, size, size];
        var fourier = new FourierParameterization(3, size, size);
        var parameters = fourier.Initial(1, 0);
        var adam = new AdamOptimizer(parameters.Length, 0.05);
        var normalization = new InputNormalization(3, null, null);
        var robustness = new TransformRobustness();
        Tensor raw = new(shape), image = new(shape), seen = new(shape), ascent = new(shape);
        var parameterAscent = new float[parameters.Length];
        var grids = new[] { new SamplingGrid() };
        var stages = new Dictionary<string, List<double>>();
        var wall = new List<double>();
        var cpu = new List<double>();
        var allocated = new List<double>();
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < runs + 3; r++)
        {
            long bytes = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            Time("fft-forward", () => fourier.Forward(parameters, raw));
            Time("colour-sigmoid-forward", () => ColorDecorrelation.Forward(raw, image, sigmoid: true));
            Time("transform-normalize-forward", () =>
            {
                grids[0].Fill(robustness.Draw(size, size, 0, r, 0), size, size, size, size);
                ActivationMaximization.Show(grids, image, normalization, seen);
            });
            // The model's input gradient stands in as the normalised image itself (any values do).
            Time("transform-normalize-backward", () => ActivationMaximization.ShowBackward(grids, seen, normalization, ascent));
            Time("sigmoid-colour-backward", () => ColorDecorrelation.BackwardThroughSigmoid(image, ascent, raw));
            Time("fft-backward", () => fourier.Backward(raw, parameterAscent));
            Time("adam", () =>
            {
                System.Numerics.Tensors.TensorPrimitives.Negate(parameterAscent, parameterAscent);
                adam.Step(parameters, parameterAscent);
            });
            if (r < 3) continue; // warm-up: JIT and pooled buffers
            wall.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuStart).TotalMilliseconds);
            allocated.Add(GC.GetTotalAllocatedBytes(precise: true) - bytes);

            void Time(string name, Action stage)
            {
                long t = Stopwatch.GetTimestamp();
                stage();
                if (!stages.TryGetValue(name, out var list)) stages[name] = list = [];
                list.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }
        foreach (var (name, times) in stages) Report("stage:" + name, times.Skip(3).ToList());
        Report("stage:total", wall);
        Report("stage:total-cpu", cpu);
        Console.WriteLine(FormattableString.Invariant($"{{\"framework\":\"cnnlens\",\"task\":\"stage:allocated-bytes\",\"median\":{Median(allocated):F0},\"runs\":{allocated.Count}}}"));
    }

    private static double Median(List<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);

    private static void Report(string task, List<double> times) =>
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"framework\":\"cnnlens\",\"task\":\"{task}\",\"median_ms\":{Median(times):F3},\"min_ms\":{times.Min():F3},\"runs\":{times.Count},\"threads\":{Parallelism.MaxThreads}}}"));
}
