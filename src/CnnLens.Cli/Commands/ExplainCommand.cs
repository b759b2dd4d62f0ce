using System.CommandLine;
using CnnLens.Attribution;
using CnnLens.Imaging.Rendering;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Cli.Commands;

/// <summary>
/// <c>cnnlens explain</c>: runs one or more attribution methods and writes the raw signed
/// attribution as .npy ([C,H,W] for input-space methods, [h,w] for CAMs, batch dropped for one image),
/// a self-contained HTML report (--report), a PNG grid (--png) and/or the run's metadata as JSON (--json).
/// </summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = new ImageInputOptions();
        var method = new Option<string>("--method") { Description = "method name(s), comma-separated: " + string.Join(", ", MethodCatalog.Names), Required = true };
        var target = new Option<int?>("--target") { Description = "class index to explain (default: the top-1 class)" };
        var targetLayer = new Option<string?>("--target-layer") { Description = "explain a channel of this tensor instead of a class (gradient methods; with --target-channel)" };
        var targetChannel = new Option<int?>("--target-channel") { Description = "channel of --target-layer to explain (sum over its positions)" };
        var targetPosition = new Option<string?>("--target-position") { Description = "Y,X: explain the single neuron at this position of the channel" };
        var layer = new Option<string?>("--layer") { Description = "tensor name for CAM methods (default: the suggested CAM layer; see 'cnnlens layers')" };
        var steps = new Option<int?>("--steps") { Description = "integrated gradients: steps (default 50)" };
        var igMethod = new Option<string?>("--ig-method") { Description = "gausslegendre|riemann-left|riemann-right|riemann-middle|riemann-trapezoid" };
        var samples = new Option<int?>("--samples") { Description = "smoothgrad/vargrad/gradient-shap: samples (default 25)" };
        var noise = new Option<double?>("--noise") { Description = "noise σ as a fraction of the input range (smoothgrad/vargrad default 0.15, gradient-shap 0)" };
        var baseline = new Option<string?>("--baseline") { Description = "zero|mean|blur|FILE.npy (default zero; deeplift-shap and gradient-shap default to zero+mean+blur, and take every image of a [K,C,H,W] file)" };
        var batchSize = new Option<int?>("--batch-size") { Description = "inputs per internal forward/backward batch (default 16)" };
        var seed = new Option<long>("--seed") { Description = "seed of random methods", DefaultValueFactory = _ => 0 };
        var rule = new Option<string?>("--rule") { Description = "lrp: epsilon|gamma|alpha-beta|z-plus|composite (default composite: flat first layer, z-plus convolutions, epsilon dense layers)" };
        var epsilon = new Option<double?>("--epsilon") { Description = "lrp: epsilon rule stabiliser (default 1e-6)" };
        var gamma = new Option<double?>("--gamma") { Description = "lrp: gamma rule (default 0.25)" };
        var alpha = new Option<double?>("--alpha") { Description = "lrp: alpha-beta rule alpha (default 2)" };
        var beta = new Option<double?>("--beta") { Description = "lrp: alpha-beta rule beta (default 1)" };
        var features = FeatureMaskOption.Create();
        var maskGrid = new Option<int?>("--mask-grid") { Description = "rise: cells of the random mask grid along each side (default 7)" };
        var maskProbability = new Option<double?>("--mask-probability") { Description = "rise: probability that a mask cell keeps the image, in (0,1) (default 0.5)" };
        var kernelWidth = new Option<double?>("--kernel-width") { Description = "lime: width of the exponential kernel on the cosine distance (default 0.25)" };
        var window = OcclusionWindowOption.Window();
        var stride = OcclusionWindowOption.Stride();
        var fullForward = OcclusionWindowOption.FullForward();
        var threads = CommonOptions.Threads();
        var lowMemory = CommonOptions.LowMemory();
        var quiet = CommonOptions.Quiet();
        var npy = CommonOptions.Npy();
        var png = new Option<string?>("--png") { Description = "write one PNG: a row input | heatmap | overlay per image and method" };
        var report = new Option<string?>("--report") { Description = "write a self-contained HTML report (images embedded, no external files)" };
        var json = new Option<bool>("--json") { Description = "print the run's metadata (predictions, targets, options, timings) as JSON instead of text lines" };
        var colormap = new Option<string?>("--colormap") { Description = "heatmap colormap: " + string.Join(", ", Colormaps.All.Select(c => c.Name)) + " (default: bwr for signed views, inferno for other views of input-space methods, jet for CAMs)" };
        var view = new Option<string?>("--view") { Description = "signed|positive|negative|absolute (default: signed for input-space methods, positive for CAMs)" };
        var opacity = new Option<float?>("--opacity") { Description = "overlay opacity 0..1: constant for CAMs (default 0.5), peak at full scale for input-space methods, whose tint grows with |attribution| (default 0.8)" };
        var command = new Command("explain", "Attribute a prediction to the input (or a layer) with one or more methods")
        {
            model, method, target, targetLayer, targetChannel, targetPosition, layer, steps, igMethod, samples, noise, baseline, batchSize, seed, rule, epsilon, gamma, alpha, beta, features, maskGrid, maskProbability, kernelWidth, window, stride, fullForward, threads, lowMemory, quiet, npy, png, report, json, colormap, view, opacity,
        };
        input.AddTo(command);
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            CommonOptions.ApplyLowMemory(parse.GetValue(lowMemory));
            var names = parse.GetRequiredValue(method).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var settings = new MethodSettings
            {
                Layer = parse.GetValue(layer),
                Steps = parse.GetValue(steps),
                IntegrationMethod = parse.GetValue(igMethod),
                Samples = parse.GetValue(samples),
                Noise = parse.GetValue(noise),
                Baseline = parse.GetValue(baseline) is { } b ? ParseBaseline(b) : null,
                Baselines = parse.GetValue(baseline) is { } set ? ParseBaselineSet(set) : null,
                BatchSize = parse.GetValue(batchSize),
                Seed = parse.GetValue(seed),
                Rule = parse.GetValue(rule),
                Epsilon = parse.GetValue(epsilon),
                Gamma = parse.GetValue(gamma),
                Alpha = parse.GetValue(alpha),
                Beta = parse.GetValue(beta),
                Features = FeatureMaskOption.Parse(parse.GetValue(features)),
                MaskGrid = parse.GetValue(maskGrid),
                MaskProbability = parse.GetValue(maskProbability),
                KernelWidth = parse.GetValue(kernelWidth),
                Window = OcclusionWindowOption.Parse(parse.GetValue(window), "--window"),
                Strides = OcclusionWindowOption.Parse(parse.GetValue(stride), "--stride"),
                FullForward = parse.GetValue(fullForward),
            };
            // Build every method first so a bad option fails before any work starts.
            var methods = names.Select(n => MethodCatalog.Create(n, settings)).ToList();
            var neuron = ParseNeuron(parse.GetValue(targetLayer), parse.GetValue(targetChannel), parse.GetValue(targetPosition));
            if (neuron is not null && parse.GetValue(target) is not null)
                throw new InvalidOptionException("--target names a class and --target-layer a channel; give one of them");
            foreach (var each in methods) each.Neuron = neuron; // methods that explain classes only refuse it here
            string? npyPath = parse.GetValue(npy);
            if (npyPath is not null && methods.Count > 1)
                throw new InvalidOptionException("--npy takes one method's result; run one method per --npy file");
            var render = new ReportRenderOptions
            {
                Colormap = parse.GetValue(colormap) is { } c ? Colormaps.ByName(c) : null,
                View = parse.GetValue(view) is { } v ? ParseView(v) : null,
                Opacity = parse.GetValue(opacity),
            };
            render.Validate();
            string? pngPath = parse.GetValue(png), reportPath = parse.GetValue(report);
            bool printJson = parse.GetValue(json);
            foreach (var (path, option) in new[] { (npyPath, "--npy"), (pngPath, "--png"), (reportPath, "--report") })
                if (path is not null) AtomicFile.CheckFolder(path, option);

            var m = CommonOptions.LoadModel(parse.GetRequiredValue(model));
            var (x, preprocessing, sources, prepared) = input.Read(parse, m);
            int[]? targets = parse.GetValue(target) is { } t ? Enumerable.Repeat(t, x.Dim(0)).ToArray() : null;
            var output = parse.InvocationConfiguration.Output;
            bool isQuiet = parse.GetValue(quiet);
            var results = new List<Attribution.Attribution>();
            using var sharedForward = m.ShareForward(x); // every method and the report's top-5 run the network on x once
            foreach (var attributionMethod in methods)
            {
                Attribution.Attribution result;
                using (var bar = ProgressBar.ForConsole(isQuiet))
                {
                    attributionMethod.Progress = bar;
                    attributionMethod.Cancellation = CommandRunner.Cancellation;
                    result = attributionMethod.Attribute(m, x, targets);
                }
                results.Add(result);
                string layerNote = result.Layer is null ? "" : $", layer {result.Layer}" + (settings.Layer is null ? " (suggested CAM layer)" : "");
                string delta = result.ConvergenceDelta is { } d ? $", convergence delta {string.Join(" ", d.Select(v => v.ToString("G3")))}" : "";
                if (result.SurrogateRSquared is { } r2) delta += $", surrogate R² {string.Join(" ", r2.Select(v => v.ToString("F3")))}";
                if (!printJson && !isQuiet)
                    output.WriteLine($"{result.Method}: target {string.Join(",", result.Targets)}{layerNote}, {result.Values}, {result.Elapsed.TotalMilliseconds:F0} ms{delta}");
                if (npyPath is not null)
                    NpyFile.Write(npyPath, x.Dim(0) == 1 ? result.Values.Reshape(result.Values.ShapeArray[1..]) : result.Values);
            }
            if (pngPath is null && reportPath is null && !printJson) return;

            var explainReport = BuildReport(m, x, preprocessing, sources, prepared, results, render);
            if (reportPath is not null) HtmlReportWriter.Write(explainReport, reportPath);
            if (pngPath is not null) ExplainPng.Write(explainReport, pngPath);
            if (printJson) output.WriteLine(JsonReport.Render(explainReport));
        });
        return command;
    }

    /// <summary>Runs the model once more for the top-5 table and renders every panel.</summary>
    private static ExplainReport BuildReport(Graph.Model m, Tensor x, Imaging.Preprocessing.PreprocessingOptions? preprocessing, string[] sources,
        Imaging.Image[]? prepared, IReadOnlyList<Attribution.Attribution> results, ReportRenderOptions render)
    {
        int batch = x.Dim(0);
        var logits = m.Predict(x);
        if (logits.Dim(0) != batch)
            throw new ShapeMismatchException($"model output '{m.LogitsName}' has shape {logits}; reports expect [N, classes]");
        var names = m.ClassNamesFor(logits.Rank == 2 ? logits.Dim(1) : 0);
        var predictions = TopK.Predictions(logits, names);
        var images = prepared ?? ModelInputImages.FromTensor(x);
        // --input gives one file for the whole batch; name its entries so sections can be told apart.
        var labels = sources.Length == batch ? sources : Enumerable.Range(0, batch).Select(n => $"{sources[0]} [{n}]").ToArray();
        string description = preprocessing?.Describe() ?? "none: the input was an already preprocessed tensor (--input); shown with each channel min-max stretched";
        return ExplainReportBuilder.Build(m.Name, description, labels, images, predictions, results, names, render);
    }

    private static NeuronTarget? ParseNeuron(string? layer, int? channel, string? position)
    {
        if (layer is null)
            return channel is null && position is null ? null
                : throw new InvalidOptionException("--target-channel and --target-position need --target-layer TENSOR");
        if (channel is not { } c) throw new InvalidOptionException("--target-layer needs --target-channel K");
        if (position is null) return new NeuronTarget(layer, c);
        var parts = position.Split(',');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int y) || !int.TryParse(parts[1], out int x))
            throw new InvalidOptionException($"--target-position must be Y,X (two integers), not '{position}'");
        return new NeuronTarget(layer, c, y, x);
    }

    private static HeatmapView ParseView(string value) => value.ToLowerInvariant() switch
    {
        "signed" => HeatmapView.Signed,
        "positive" => HeatmapView.Positive,
        "negative" => HeatmapView.Negative,
        "absolute" => HeatmapView.Absolute,
        _ => throw new InvalidOptionException($"--view must be signed, positive, negative or absolute, not '{value}'"),
    };

    /// <summary>For deeplift-shap and gradient-shap: a .npy of K images gives K baselines; a named kind gives one.</summary>
    private static BaselineSet ParseBaselineSet(string value) =>
        value.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) && File.Exists(value) && NpyFile.Read(value) is { Rank: 4 } images
            ? BaselineSet.FromImages(images, Path.GetFileName(value))
            : new BaselineSet([ParseBaseline(value)]);

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
