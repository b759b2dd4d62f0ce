using System.CommandLine;
using System.Globalization;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Visualization.Maximization;

namespace CnnLens.Cli.Commands.Visualize;

/// <summary>
/// <c>cnnlens visualize deep-dream</c>: amplifies what a layer sees in a photo (gradient ascent on the
/// L2 norm of its activations, over octaves, with jitter) and writes the dreamed image.
/// </summary>
public static class DeepDreamCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var image = new Option<string>("--image") { Description = "the photo to start from", Required = true };
        var layer = new Option<string>("--layer") { Description = "tensor whose activations to amplify (see 'cnnlens layers')", Required = true };
        var steps = new Option<int>("--steps") { Description = "gradient-ascent steps per octave (default 20)", DefaultValueFactory = _ => 20 };
        var octaves = new Option<int>("--octaves") { Description = "image scales, smallest first (default 3)", DefaultValueFactory = _ => 3 };
        var octaveScale = new Option<double>("--octave-scale") { Description = "size ratio between octaves (default 1.4)", DefaultValueFactory = _ => 1.4 };
        var stepSize = new Option<double>("--step-size") { Description = "step on the 0..1 image per unit of mean gradient magnitude (default 0.02)", DefaultValueFactory = _ => 0.02 };
        var jitter = new Option<int>("--jitter") { Description = "largest random shift in pixels per step (default 16)", DefaultValueFactory = _ => 16 };
        var seed = new Option<long>("--seed") { Description = "seed of the jitter", DefaultValueFactory = _ => 0 };
        var size = new Option<int?>("--size") { Description = "resize the photo's shorter side to this (models that take any size; default: as it is)" };
        var mean = new Option<string?>("--mean") { Description = "the model's preprocessing mean per channel (default ImageNet's for RGB)" };
        var std = new Option<string?>("--std") { Description = "the model's preprocessing std per channel (default ImageNet's for RGB)" };
        var png = new Option<string>("--png") { Description = "write the dreamed image as PNG", Required = true };
        var npy = CommonOptions.Npy();
        var threads = CommonOptions.Threads();
        var quiet = CommonOptions.Quiet();
        var command = new Command("deep-dream", "Amplify what a layer sees in a photo (DeepDream)")
        {
            model, image, layer, steps, octaves, octaveScale, stepSize, jitter, seed, size, mean, std, png, npy, threads, quiet,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var options = new DeepDreamOptions
            {
                Steps = parse.GetValue(steps),
                Octaves = parse.GetValue(octaves),
                OctaveScale = parse.GetValue(octaveScale),
                StepSize = parse.GetValue(stepSize),
                Transforms = new TransformRobustness { Jitter = parse.GetValue(jitter), MinScale = 1, MaxScale = 1, RotationDegrees = 0 },
                Seed = parse.GetValue(seed),
                Mean = MaximizationOutput.ParseFloats(parse.GetValue(mean), "--mean"),
                Std = MaximizationOutput.ParseFloats(parse.GetValue(std), "--std"),
            };
            options.Validate();
            if (parse.GetValue(size) is <= 0) throw new InvalidOptionException("--size must be a positive number of pixels");
            string pngPath = parse.GetRequiredValue(png);
            string? npyPath = parse.GetValue(npy);
            MaximizationOutput.CheckOutputs(pngPath, npyPath);
            string imagePath = parse.GetRequiredValue(image);
            if (!File.Exists(imagePath)) throw new InvalidOptionException($"image '{imagePath}' does not exist");

            var m = CommonOptions.LoadModel(parse.GetRequiredValue(model));
            // The photo as 0..1 pixels: DeepDream applies the model's mean/std itself at every step.
            var preprocessing = new PreprocessingOptions { Grayscale = ModelImageSize.Channels(m) == 1 };
            if (ModelImageSize.Fixed(m) is { } fixedSize) preprocessing = preprocessing with { ResizeExact = (fixedSize.Width, fixedSize.Height) };
            else if (parse.GetValue(size) is { } shorter) preprocessing = preprocessing with { ResizeShorterSide = shorter };
            var photo = ImagePreprocessor.ToTensor(ImageDecoder.DecodeFile(imagePath, DecodeOptions.MatchPil), preprocessing);

            var dream = new DeepDream(options) { Cancellation = CommandRunner.Cancellation };
            MaximizationResult result;
            using (var bar = ProgressBar.ForConsole(parse.GetValue(quiet)))
            {
                dream.Progress = bar;
                result = dream.Run(m, photo, new LayerNormObjective(parse.GetRequiredValue(layer)));
            }
            MaximizationOutput.WritePng(result.Images, pngPath);
            if (npyPath is not null) MaximizationOutput.WriteNpy(result.Images, npyPath);
            if (!parse.GetValue(quiet))
                parse.InvocationConfiguration.Output.WriteLine(
                    $"deep-dream: L2 norm of {parse.GetRequiredValue(layer)} {result.History[0].ToString("G4", CultureInfo.InvariantCulture)} at the first step, {result.FinalValues[0].ToString("G4", CultureInfo.InvariantCulture)} at the end, {result.Elapsed.TotalMilliseconds:F0} ms");
        });
        return command;
    }
}
