using System.Diagnostics;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Benchmarks;

/// <summary>
/// A fast stopwatch pass (seconds, not minutes) over the same workloads as the BenchmarkDotNet
/// classes, printing GFLOP/s and milliseconds; used while tuning, `dotnet run -c Release -- quick`.
/// </summary>
public static class QuickMeasurements
{
    public static void Run(string[] args)
    {
        if (args.Contains("backward"))
        {
            MeasureBackwardData();
            return;
        }
        if (args.Contains("engine"))
        {
            MeasureEngineDispatch();
            return;
        }
        if (args.Contains("breakdown"))
        {
            MeasureBreakdown();
            return;
        }
        if (args.Contains("prepare"))
        {
            MeasureWeightPreparation();
            return;
        }
        if (args.Contains("pool"))
        {
            MeasurePooling();
            return;
        }
        foreach (int threads in new[] { 1, 2 })
        {
            Parallelism.MaxThreads = threads;
            Console.WriteLine($"--- {threads} thread(s)");
            foreach (int size in new[] { 256, 512, 1024 })
                MeasureGemm($"GEMM {size}^3", size, size, size);
            MeasureGemm("GEMM conv M=64 K=576 N=3136", 64, 3136, 576);
            foreach (var layer in ConvolutionLayers.All)
                MeasureConvolution(layer);
            var runs = ConvolutionLayers.ResNet18.Select(l => l.Create()).ToArray();
            double total = Time(() => { foreach (var r in runs) r.Run(); });
            double engine = Time(() => { foreach (var r in runs) r.RunAsEngine(); });
            double flops = ConvolutionLayers.ResNet18.Sum(l => l.Flops);
            Console.WriteLine($"{"ResNet-18 all convolutions, im2col",-40} {flops / total / 1e9,8:F1} GFLOP/s  {total * 1e3,8:F3} ms");
            // Winograd does fewer multiplications: its rate is the direct convolution's flops over its time.
            Console.WriteLine($"{"ResNet-18 all convolutions, as the engine",-40} {flops / engine / 1e9,8:F1} GFLOP/s  {engine * 1e3,8:F3} ms (direct-equivalent)");
        }
    }

    /// <summary>
    /// What a first forward and reverse pass spend preparing ResNet-18's weights once (2 threads):
    /// Winograd filters both ways and the transposed weights of im2col's data gradient, per layer kind.
    /// </summary>
    private static void MeasureWeightPreparation()
    {
        Parallelism.MaxThreads = 2;
        double winograd = 0, turned = 0, transposed = 0;
        foreach (var layer in ConvolutionLayers.ResNet18)
        {
            var run = layer.Create();
            var g = run.Geometry;
            var weights = Fill(g.OutChannels * g.PatchSize, 2);
            if (run.UsesWinograd)
            {
                winograd += Time(() => WinogradConvolution.TransformWeights(g, weights));
                turned += Time(() => WinogradConvolution.TransformWeightsForDataGradient(g, weights));
            }
            else transposed += Time(() => Convolution.TransposeWeights(g, weights));
        }
        Console.WriteLine($"ResNet-18 weight preparation: Winograd filters {winograd * 1e3:F1} ms, turned filters {turned * 1e3:F1} ms, transposed im2col weights {transposed * 1e3:F1} ms");
    }

    /// <summary>Forward against data gradient per ResNet-18 layer (2 threads): where a saliency pass spends its time.</summary>
    private static void MeasureBackwardData()
    {
        Parallelism.MaxThreads = 2;
        double forwardTotal = 0, backwardTotal = 0, forwardCpu = 0, backwardCpu = 0, transposedTotal = 0, transposedCpu = 0;
        foreach (var layer in ConvolutionLayers.ResNet18)
        {
            var run = layer.Create();
            double forward = Time(run.Run), fCpu = _lastCpuSeconds;
            double backward = Time(run.RunBackwardData), bCpu = _lastCpuSeconds;
            double transposed = Time(run.RunBackwardDataTransposed), tCpu = _lastCpuSeconds;
            forwardTotal += forward; backwardTotal += backward; forwardCpu += fCpu; backwardCpu += bCpu; transposedTotal += transposed; transposedCpu += tCpu;
            Console.WriteLine($"{layer.Name,-8} forward {forward * 1e3,7:F3} ms (CPU {fCpu * 1e3,7:F3})  backward-data {backward * 1e3,7:F3} ms (CPU {bCpu * 1e3,7:F3})  with transposed weights {transposed * 1e3,7:F3} ms (CPU {tCpu * 1e3,7:F3})");
        }
        Console.WriteLine($"{"total",-8} forward {forwardTotal * 1e3,7:F3} ms (CPU {forwardCpu * 1e3,7:F3})  backward-data {backwardTotal * 1e3,7:F3} ms (CPU {backwardCpu * 1e3,7:F3})  with transposed weights {transposedTotal * 1e3,7:F3} ms (CPU {transposedCpu * 1e3,7:F3})");
    }

    /// <summary>
    /// Per ResNet-18 layer (2 threads), forward and data gradient as ConvOperator dispatches them
    /// (Winograd where it applies) against im2col + GEMM: what the Winograd path buys.
    /// </summary>
    private static void MeasureEngineDispatch()
    {
        Parallelism.MaxThreads = 2;
        double engineTotal = 0, gemmTotal = 0, engineBackTotal = 0, gemmBackTotal = 0;
        foreach (var layer in ConvolutionLayers.ResNet18)
        {
            var run = layer.Create();
            double gemm = Time(run.Run), engine = Time(run.RunAsEngine);
            double gemmBack = Time(run.RunBackwardDataTransposed), engineBack = Time(run.RunBackwardDataAsEngine);
            engineTotal += engine; gemmTotal += gemm; engineBackTotal += engineBack; gemmBackTotal += gemmBack;
            Console.WriteLine($"{layer.Name,-6} {(run.UsesWinograd ? "winograd" : "im2col"),-8} forward {engine * 1e3,7:F3} ms (im2col {gemm * 1e3,7:F3})  data gradient {engineBack * 1e3,7:F3} ms (im2col {gemmBack * 1e3,7:F3})");
        }
        Console.WriteLine($"{"total",-15} forward {engineTotal * 1e3,7:F3} ms (im2col {gemmTotal * 1e3,7:F3})  data gradient {engineBackTotal * 1e3,7:F3} ms (im2col {gemmBackTotal * 1e3,7:F3})");
    }

    /// <summary>
    /// Each distinct ResNet-18 layer at 1 and 2 threads: the whole forward and data gradient, and their parts
    /// alone on the whole image (im2col, forward GEMM, W^T * dY GEMM, col2im on one thread): where scaling is lost.
    /// </summary>
    private static unsafe void MeasureBreakdown()
    {
        foreach (var layer in ConvolutionLayers.ResNet18.DistinctBy(l => l.Name))
        {
            var run = layer.Create();
            var g = run.Geometry;
            int mg = g.OutChannelsPerGroup, kg = g.PatchSize, spatial = g.OutSpatial;
            var columns = new float[kg * spatial];
            var input = Fill(g.InChannels * g.InSpatial);
            var weights = Fill(mg * kg, 2);
            var transposed = Convolution.TransposeWeights(g, weights);
            var output = Fill(mg * spatial, 3);
            var line = new System.Text.StringBuilder($"{layer.Name,-5}");
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                fixed (float* x = input, col = columns)
                {
                    nint xa = (nint)x, ca = (nint)col;
                    double forward = Time(run.Run), forwardCpu = _lastCpuSeconds;
                    double unfold = Time(() => Im2Col.Unfold(g, (float*)xa, (float*)ca));
                    double gemm = Time(() => Gemm.Multiply(false, false, mg, spatial, kg, 1f, weights, kg, columns, spatial, 0f, output, spatial));
                    double backward = Time(run.RunBackwardDataTransposed), backwardCpu = _lastCpuSeconds;
                    double gemmT = Time(() => Gemm.Multiply(false, false, kg, spatial, mg, 1f, transposed, mg, output, spatial, 0f, columns, spatial));
                    double fold = Time(() => Im2Col.FoldAddRows(g, (float*)ca, (float*)xa, g.InChannelsPerGroup, 0, g.OutHeight));
                    line.Append($" | {threads}T fwd {forward * 1e3,6:F3} (CPU {forwardCpu * 1e3,6:F3}) im2col {unfold * 1e3,5:F3} gemm {gemm * 1e3,6:F3}"
                        + $" bwd {backward * 1e3,6:F3} (CPU {backwardCpu * 1e3,6:F3}) gemmT {gemmT * 1e3,6:F3} col2im(1T) {fold * 1e3,5:F3}");
                }
            }
            Console.WriteLine(line);
        }
    }

    private static void MeasurePooling()
    {
        Parallelism.MaxThreads = 1;
        var geometry = new PoolingGeometry
        {
            Planes = 64, InHeight = 112, InWidth = 112, OutHeight = 56, OutWidth = 56, KernelHeight = 3, KernelWidth = 3,
            StrideHeight = 2, StrideWidth = 2, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1,
        };
        var input = Fill(64 * 112 * 112);
        var output = new float[64 * 56 * 56];
        double seconds = Time(() => Pooling.MaxForward(geometry, input, output, default));
        Console.WriteLine($"{"max pool 64x112 3x3/2",-40} {seconds * 1e3,8:F3} ms (CPU {_lastCpuSeconds * 1e3:F3} ms)");
    }

    private static void MeasureGemm(string name, int m, int n, int k)
    {
        var a = Fill(m * k);
        var b = Fill(k * n);
        var c = new float[m * n];
        double seconds = Time(() => Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n));
        Console.WriteLine($"{name,-40} {2.0 * m * n * k / seconds / 1e9,8:F1} GFLOP/s  {seconds * 1e3,8:F3} ms  (per CPU second: {2.0 * m * n * k / _lastCpuSeconds / 1e9:F1})");
    }

    private static void MeasureConvolution(ConvolutionLayers.Layer layer)
    {
        var run = layer.Create();
        double seconds = Time(run.Run);
        Console.WriteLine($"{layer.Name,-40} {layer.Flops / seconds / 1e9,8:F1} GFLOP/s  {seconds * 1e3,8:F3} ms  (per CPU second: {layer.Flops / _lastCpuSeconds / 1e9:F1})");
    }

    private static double _lastCpuSeconds;

    /// <summary>Median wall time of one call; also records CPU time per call, which the other builds on the machine disturb less.</summary>
    private static double Time(Action action)
    {
        action();
        var watch = Stopwatch.StartNew();
        int reps = 0;
        while (watch.Elapsed.TotalSeconds < 0.3) { action(); reps++; }
        // The median of short batches is less sensitive to the other builds sharing the machine.
        var samples = new List<double>();
        var cpuStart = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        int calls = 0;
        for (int s = 0; s < 7; s++)
        {
            int inner = Math.Max(1, reps / 4);
            var w = Stopwatch.StartNew();
            for (int i = 0; i < inner; i++) action();
            samples.Add(w.Elapsed.TotalSeconds / inner);
            calls += inner;
        }
        _lastCpuSeconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds / calls;
        samples.Sort();
        return samples[samples.Count / 2];
    }

    internal static float[] Fill(int count, int seed = 1)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() - 0.5);
        return values;
    }
}
