using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CnnLens.Attribution;
using CnnLens.Tensors;

namespace CnnLens.Cli.Commands;

/// <summary>
/// <c>cnnlens bench</c>: times a method on a model in this process and prints one JSON line
/// {"model","method","median_ms","min_ms","peak_mb"} for scripts and docs/benchmarks.md.
/// </summary>
public static class BenchCommand
{
    private const int DefaultWarmup = 10;
    private const double DefaultWarmupSeconds = 3;

    /// <summary>predict (the forward pass) or any attribution method name.</summary>
    public static IReadOnlyList<string> Methods => ["predict", .. MethodCatalog.Names];

    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = CommonOptions.Input();
        var method = new Option<string>("--method") { Description = "what to time: " + string.Join(", ", Methods), DefaultValueFactory = _ => "predict" };
        var repeat = new Option<int>("--repeat") { Description = "timed runs (the median is reported)", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int?>("--warmup") { Description = "untimed runs first (default: 10, by when the JIT has optimised the engine, or fewer once they took 3 s)" };
        var batch = new Option<int>("--batch") { Description = "batch size of the random input", DefaultValueFactory = _ => 1 };
        var steps = new Option<int?>("--steps") { Description = "integrated gradients: steps" };
        var batchSize = new Option<int?>("--batch-size") { Description = "internal batch of the method" };
        var layer = new Option<string?>("--layer") { Description = "CAM layer" };
        var samples = new Option<int?>("--samples") { Description = "samples of random methods (rise masks, lime samples, ...)" };
        var threads = CommonOptions.Threads();
        var lowMemory = CommonOptions.LowMemory();
        var window = OcclusionWindowOption.Window();
        var stride = OcclusionWindowOption.Stride();
        var fullForward = OcclusionWindowOption.FullForward();
        var command = new Command("bench", "Time a method on a model and print one JSON line") { model, input, method, repeat, warmup, batch, steps, batchSize, layer, threads, lowMemory, samples, window, stride, fullForward };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            CommonOptions.ApplyLowMemory(parse.GetValue(lowMemory));
            string name = parse.GetValue(method)!;
            if (!Methods.Contains(name)) throw new InvalidOptionException($"bench knows methods {string.Join(", ", Methods)}, not '{name}'");
            int runs = parse.GetValue(repeat), n = parse.GetValue(batch);
            int? warm = parse.GetValue(warmup);
            if (runs < 1 || warm < 0 || n < 1) throw new InvalidOptionException("--repeat and --batch must be at least 1 and --warmup at least 0");
            string path = parse.GetRequiredValue(model);
            var m = CommonOptions.LoadModel(path);
            var x = parse.GetValue(input) is { } inputPath ? CommonOptions.ReadInput(inputPath, m) : RandomInput(m.SampleInputShape(n));
            Action run = name == "predict"
                ? () => m.Predict(x)
                : MethodCatalog.Create(name, new MethodSettings
                {
                    Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batchSize), Layer = parse.GetValue(layer), Samples = parse.GetValue(samples),
                    Window = OcclusionWindowOption.Parse(parse.GetValue(window), "--window"),
                    Strides = OcclusionWindowOption.Parse(parse.GetValue(stride), "--stride"),
                    FullForward = parse.GetValue(fullForward),
                }) is var attribution
                    ? () => attribution.Attribute(m, x)
                    : throw new InvalidOperationException();

            var warming = Stopwatch.StartNew();
            for (int i = 0; i < (warm ?? DefaultWarmup); i++)
            {
                // Unless told a count, slow methods (integrated gradients takes seconds a call) stop after 3 s.
                if (warm is null && warming.Elapsed.TotalSeconds >= DefaultWarmupSeconds) break;
                run();
            }
            var times = new double[runs];
            var cpuTimes = new double[runs]; // process CPU time (all threads): less disturbed by other jobs on the machine
            var process = Process.GetCurrentProcess();
            for (int i = 0; i < runs; i++)
            {
                process.Refresh();
                var cpuStart = process.TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                run();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                process.Refresh();
                cpuTimes[i] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
            }
            Array.Sort(times);
            Array.Sort(cpuTimes);
            var result = new Dictionary<string, object>
            {
                ["model"] = Path.GetFileName(path),
                ["method"] = name,
                ["batch"] = x.Dim(0),
                ["threads"] = Parallelism.MaxThreads,
                ["median_ms"] = Math.Round(times[runs / 2], 3),
                ["min_ms"] = Math.Round(times[0], 3),
                ["peak_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
                ["cpu_median_ms"] = Math.Round(cpuTimes[runs / 2], 3),
            };
            parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(result));
        });
        return command;
    }

    private static Tensor RandomInput(int[] shape)
    {
        var random = new Random(1234);
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(random.NextDouble() * 2 - 1);
        return t;
    }
}
