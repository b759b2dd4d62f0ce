using System.CommandLine;
using System.Globalization;
using CnnLens.Visualization.Maximization;

namespace CnnLens.Cli.Commands.Visualize;

/// <summary>
/// <c>cnnlens visualize maximize</c>: optimises images (Fourier-parameterised, colour-decorrelated,
/// with transformation robustness) that excite a channel, a neuron or a class, and writes them as a
/// PNG row (and .npy, values 0..1 before the model's normalisation).
/// </summary>
public static class MaximizeCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var layer = new Option<string?>("--layer") { Description = "tensor whose channel to excite (see 'cnnlens layers')" };
        var channel = new Option<int?>("--channel") { Description = "channel of --layer to excite (its mean over positions)" };
        var neuron = new Option<string?>("--neuron") { Description = "Y,X: excite only the neuron at this position of the channel" };
        var classIndex = new Option<int?>("--class") { Description = "excite this class logit (added to the channel objective when both are given)" };
        var steps = new Option<int>("--steps") { Description = "optimisation steps (default 256)", DefaultValueFactory = _ => 256 };
        var seed = new Option<long>("--seed") { Description = "seed of the initial image and the random transforms", DefaultValueFactory = _ => 0 };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate (default 0.05)", DefaultValueFactory = _ => 0.05 };
        var size = new Option<int?>("--size") { Description = "image height and width (default: the model's input size, else 224)" };
        var batch = new Option<int>("--batch") { Description = "images optimised together (default 1)", DefaultValueFactory = _ => 1 };
        var diversity = new Option<double>("--diversity") { Description = "weight of the diversity term between batch images at --layer (default 0)", DefaultValueFactory = _ => 0 };
        var jitter = new Option<int>("--jitter") { Description = "largest random shift in pixels per step (default 8; 0 turns transforms off together with --rotate 0 --scale 1)", DefaultValueFactory = _ => 8 };
        var rotate = new Option<double>("--rotate") { Description = "largest random rotation in degrees (default 10)", DefaultValueFactory = _ => 10 };
        var scale = new Option<double>("--scale") { Description = "random scale range ±S around 1 (default 0.1)", DefaultValueFactory = _ => 0.1 };
        var l2 = new Option<double>("--l2") { Description = "weight of the L2 penalty on the image (default 0)", DefaultValueFactory = _ => 0 };
        var tv = new Option<double>("--tv") { Description = "weight of the total-variation penalty (default 0)", DefaultValueFactory = _ => 0 };
        var mean = new Option<string?>("--mean") { Description = "the model's preprocessing mean per channel (default ImageNet's for RGB)" };
        var std = new Option<string?>("--std") { Description = "the model's preprocessing std per channel (default ImageNet's for RGB)" };
        var png = new Option<string>("--png") { Description = "write the images as one PNG", Required = true };
        var npy = CommonOptions.Npy();
        var threads = CommonOptions.Threads();
        var quiet = CommonOptions.Quiet();
        var command = new Command("maximize", "Optimise images that excite a channel, a neuron or a class (activation maximisation)")
        {
            model, layer, channel, neuron, classIndex, steps, seed, learningRate, size, batch, diversity, jitter, rotate, scale, l2, tv, mean, std, png, npy, threads, quiet,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var objective = BuildObjective(parse.GetValue(layer), parse.GetValue(channel), parse.GetValue(neuron), parse.GetValue(classIndex),
                parse.GetValue(diversity), parse.GetValue(batch));
            var options = new MaximizationOptions
            {
                Steps = parse.GetValue(steps),
                Seed = parse.GetValue(seed),
                LearningRate = parse.GetValue(learningRate),
                Size = parse.GetValue(size),
                Batch = parse.GetValue(batch),
                Transforms = new TransformRobustness
                {
                    Jitter = parse.GetValue(jitter),
                    RotationDegrees = parse.GetValue(rotate),
                    MinScale = 1 - parse.GetValue(scale),
                    MaxScale = 1 + parse.GetValue(scale),
                },
                L2Weight = parse.GetValue(l2),
                TotalVariationWeight = parse.GetValue(tv),
                Mean = MaximizationOutput.ParseFloats(parse.GetValue(mean), "--mean"),
                Std = MaximizationOutput.ParseFloats(parse.GetValue(std), "--std"),
            };
            options.Validate();
            string pngPath = parse.GetRequiredValue(png);
            string? npyPath = parse.GetValue(npy);
            MaximizationOutput.CheckOutputs(pngPath, npyPath);

            var m = CommonOptions.LoadModel(parse.GetRequiredValue(model));
            var run = new ActivationMaximization(options) { Cancellation = CommandRunner.Cancellation };
            MaximizationResult result;
            using (var bar = ProgressBar.ForConsole(parse.GetValue(quiet)))
            {
                run.Progress = bar;
                result = run.Run(m, objective);
            }
            MaximizationOutput.WritePng(result.Images, pngPath);
            if (npyPath is not null) MaximizationOutput.WriteNpy(result.Images, npyPath);
            if (!parse.GetValue(quiet))
                parse.InvocationConfiguration.Output.WriteLine(
                    $"maximize: {objective}, {options.Steps} steps, objective per image {string.Join(" ", result.FinalValues.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}, {result.Elapsed.TotalMilliseconds:F0} ms");
        });
        return command;
    }

    private static MaximizationObjective BuildObjective(string? layer, int? channel, string? neuron, int? classIndex, double diversity, int batch)
    {
        var terms = new List<(double, MaximizationObjective)>();
        if (layer is not null)
        {
            if (channel is not { } c) throw new InvalidOptionException("--layer needs --channel K (the channel to excite)");
            if (neuron is null) terms.Add((1, MaximizationObjective.Channel(layer, c)));
            else
            {
                var parts = neuron.Split(',');
                if (parts.Length != 2 || !int.TryParse(parts[0], out int y) || !int.TryParse(parts[1], out int x))
                    throw new InvalidOptionException($"--neuron must be Y,X (two integers), not '{neuron}'");
                terms.Add((1, MaximizationObjective.Neuron(layer, c, y, x)));
            }
        }
        else if (channel is not null || neuron is not null) throw new InvalidOptionException("--channel and --neuron need --layer TENSOR");
        if (classIndex is { } k) terms.Add((1, MaximizationObjective.Class(k)));
        if (terms.Count == 0) throw new InvalidOptionException("say what to excite: --layer TENSOR --channel K, and/or --class C");
        if (diversity < 0) throw new InvalidOptionException($"--diversity must be 0 or more, got {diversity}");
        if (diversity > 0)
        {
            if (layer is null) throw new InvalidOptionException("--diversity compares images at --layer; give --layer TENSOR");
            if (batch < 2) throw new InvalidOptionException("--diversity needs --batch 2 or more images to compare");
            terms.Add((diversity, new DiversityObjective(layer)));
        }
        return terms.Count == 1 ? terms[0].Item2 : new WeightedObjective(terms);
    }
}
