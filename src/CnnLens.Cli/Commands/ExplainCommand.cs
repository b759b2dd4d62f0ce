using System.CommandLine;
using CnnLens.Attribution;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Cli.Commands;

/// <summary>
/// <c>cnnlens explain</c>: runs one or more attribution methods and writes the raw signed
/// attribution as .npy ([C,H,W] for input-space methods, [h,w] for CAMs, batch dropped for one image).
/// </summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = new ImageInputOptions();
        var method = new Option<string>("--method") { Description = "method name(s), comma-separated: " + string.Join(", ", MethodCatalog.Names), Required = true };
        var target = new Option<int?>("--target") { Description = "class index to explain (default: the top-1 class)" };
        var layer = new Option<string?>("--layer") { Description = "tensor name for CAM methods (default: the suggested CAM layer; see 'cnnlens layers')" };
        var steps = new Option<int?>("--steps") { Description = "integrated gradients: steps (default 50)" };
        var igMethod = new Option<string?>("--ig-method") { Description = "gausslegendre|riemann-left|riemann-right|riemann-middle|riemann-trapezoid" };
        var samples = new Option<int?>("--samples") { Description = "smoothgrad/vargrad: noisy samples (default 25)" };
        var noise = new Option<double?>("--noise") { Description = "smoothgrad/vargrad: noise σ as a fraction of the input range (default 0.15)" };
        var baseline = new Option<string?>("--baseline") { Description = "zero|mean|blur|FILE.npy (default zero)" };
        var batchSize = new Option<int?>("--batch-size") { Description = "inputs per internal forward/backward batch (default 16)" };
        var seed = new Option<long>("--seed") { Description = "seed of random methods", DefaultValueFactory = _ => 0 };
        var threads = CommonOptions.Threads();
        var npy = CommonOptions.Npy();
        var command = new Command("explain", "Attribute a prediction to the input (or a layer) with one or more methods")
        {
            model, method, target, layer, steps, igMethod, samples, noise, baseline, batchSize, seed, threads, npy,
        };
        input.AddTo(command);
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var names = parse.GetRequiredValue(method).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var settings = new MethodSettings
            {
                Layer = parse.GetValue(layer),
                Steps = parse.GetValue(steps),
                IntegrationMethod = parse.GetValue(igMethod),
                Samples = parse.GetValue(samples),
                Noise = parse.GetValue(noise),
                Baseline = parse.GetValue(baseline) is { } b ? ParseBaseline(b) : null,
                BatchSize = parse.GetValue(batchSize),
                Seed = parse.GetValue(seed),
            };
            // Build every method first so a bad option fails before any work starts.
            var methods = names.Select(n => MethodCatalog.Create(n, settings)).ToList();
            string? npyPath = parse.GetValue(npy);
            if (npyPath is not null && methods.Count > 1)
                throw new InvalidOptionException("--npy takes one method's result; run one method per --npy file");
            var m = CommonOptions.LoadModel(parse.GetRequiredValue(model));
            var (x, _, _) = input.Read(parse, m);
            int[]? targets = parse.GetValue(target) is { } t ? Enumerable.Repeat(t, x.Dim(0)).ToArray() : null;
            var output = parse.InvocationConfiguration.Output;
            foreach (var attributionMethod in methods)
            {
                var result = attributionMethod.Attribute(m, x, targets);
                string layerNote = result.Layer is null ? "" : $", layer {result.Layer}" + (settings.Layer is null ? " (suggested CAM layer)" : "");
                string delta = result.ConvergenceDelta is { } d ? $", convergence delta {string.Join(" ", d.Select(v => v.ToString("G3")))}" : "";
                output.WriteLine($"{result.Method}: target {string.Join(",", result.Targets)}{layerNote}, {result.Values}, {result.Elapsed.TotalMilliseconds:F0} ms{delta}");
                if (npyPath is not null)
                    NpyFile.Write(npyPath, x.Dim(0) == 1 ? result.Values.Reshape(result.Values.ShapeArray[1..]) : result.Values);
            }
        });
        return command;
    }

    private static Baseline ParseBaseline(string value) => value switch
    {
        "zero" => Baseline.Zero,
        "mean" => Baseline.Mean,
        "blur" => Baseline.Blur,
        _ when value.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) =>
            File.Exists(value) ? Baseline.FromTensor(NpyFile.Read(value), Path.GetFileName(value))
                               : throw new InvalidOptionException($"baseline file '{value}' does not exist"),
        _ => throw new InvalidOptionException($"--baseline must be zero, mean, blur or a .npy file, not '{value}'"),
    };
}
