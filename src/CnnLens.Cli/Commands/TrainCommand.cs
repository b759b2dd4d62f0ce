using System.CommandLine;
using System.Globalization;
using CnnLens.Training;

namespace CnnLens.Cli.Commands;

/// <summary>
/// <c>cnnlens train</c>: trains lenet, tiny-vgg or resnet on an image folder or MNIST and writes an
/// ONNX model that carries its class names and preprocessing, so predict and explain need no flags.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "image folder: one sub-folder per class with PNG/JPEG images" };
        var mnist = new Option<string?>("--mnist") { Description = "folder with MNIST IDX files (train-images-idx3-ubyte[.gz], ...); t10k files, if present, give a test accuracy" };
        var arch = new Option<string>("--arch") { Description = $"network: {ArchitectureNames.Choices}", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "passes over the training data", DefaultValueFactory = _ => 10 };
        var seed = new Option<long>("--seed") { Description = "seed of initial weights, shuffling, split and augmentation", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out", "-o") { Description = "ONNX file to write", Required = true };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd (with momentum) or adam", DefaultValueFactory = _ => "adam" };
        var lr = new Option<float?>("--lr") { Description = "base learning rate (default 0.001 for adam, 0.01 for sgd)" };
        var momentum = new Option<float>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.9f };
        var weightDecay = new Option<float>("--weight-decay") { Description = "L2 weight decay (added to the gradient, as torch.optim)", DefaultValueFactory = _ => 0f };
        var batchSize = new Option<int>("--batch-size") { Description = "images per step", DefaultValueFactory = _ => 32 };
        var schedule = new Option<string>("--schedule") { Description = "learning-rate schedule: constant, step (x0.1 every third of the epochs) or cosine", DefaultValueFactory = _ => "constant" };
        var augment = new Option<string?>("--augment") { Description = "comma-separated: crop (pad and crop), flip, rotate (±10°), jitter (brightness/contrast)" };
        var validation = new Option<double>("--validation") { Description = "fraction of the data held out for validation", DefaultValueFactory = _ => 0 };
        var patience = new Option<int?>("--patience") { Description = "stop after N epochs without a lower (validation) loss and keep the best weights" };
        var limit = new Option<int?>("--limit") { Description = "use only the first N training images" };
        var size = new Option<int?>("--size") { Description = "image folders: resize every image to N x N (needed when sizes differ)" };
        var grayscale = new Option<bool>("--grayscale") { Description = "image folders: one channel instead of RGB" };
        var channels = new Option<int?>("--channels") { Description = "channels of the first layer (tiny-vgg 10, resnet 16)" };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "do not standardise inputs with the training set's mean and std inside the model" };
        var threads = CommonOptions.Threads();
        var quiet = CommonOptions.Quiet();
        var command = new Command("train", "Train a small CNN (lenet, tiny-vgg, resnet) and save it as ONNX")
        {
            data, mnist, arch, epochs, seed, output, optimizer, lr, momentum, weightDecay, batchSize, schedule, augment,
            validation, patience, limit, size, grayscale, channels, noNormalize, threads, quiet,
        };
        command.SetAction(parse =>
        {
            var writer = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var cancellation = CommandRunner.Cancellation;
            string? folder = parse.GetValue(data), mnistFolder = parse.GetValue(mnist);
            if ((folder is null) == (mnistFolder is null)) throw new InvalidOptionException("give the training data with either --data DIR or --mnist DIR");
            if (mnistFolder is not null && (parse.GetValue(size) is not null || parse.GetValue(grayscale)))
                throw new InvalidOptionException("--size and --grayscale apply to --data image folders, not to --mnist");
            string outPath = parse.GetRequiredValue(output);
            string? outFolder = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (outFolder is not null && !Directory.Exists(outFolder)) throw new InvalidOptionException($"folder of --out '{outPath}' does not exist");
            if (parse.GetValue(limit) is < 1) throw new InvalidOptionException($"--limit must be at least 1, got {parse.GetValue(limit)}");
            var options = new TrainingOptions
            {
                Architecture = ArchitectureNames.Parse(parse.GetRequiredValue(arch)),
                Epochs = parse.GetValue(epochs),
                Seed = parse.GetValue(seed),
                Optimizer = parse.GetValue(optimizer)!.ToLowerInvariant() switch
                {
                    "sgd" => OptimizerKind.Sgd,
                    "adam" => OptimizerKind.Adam,
                    var other => throw new InvalidOptionException($"unknown --optimizer '{other}'; use sgd or adam"),
                },
                LearningRate = parse.GetValue(lr),
                Momentum = parse.GetValue(momentum),
                WeightDecay = parse.GetValue(weightDecay),
                BatchSize = parse.GetValue(batchSize),
                Schedule = LearningRates.Parse(parse.GetValue(schedule)!),
                Augmentation = parse.GetValue(augment) is { } a ? Augmenter.Parse(a) : Augmentation.None,
                ValidationFraction = parse.GetValue(validation),
                Patience = parse.GetValue(patience),
                BaseChannels = parse.GetValue(channels),
                Normalize = !parse.GetValue(noNormalize),
            };
            options.Validate();
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            bool isQuiet = parse.GetValue(quiet);

            TrainingData train;
            TrainingData? test = null;
            if (mnistFolder is not null)
            {
                train = MnistData.Load(mnistFolder, MnistSplit.Train);
                if (MnistData.Has(mnistFolder, MnistSplit.Test)) test = MnistData.Load(mnistFolder, MnistSplit.Test);
            }
            else
            {
                var loaded = ImageFolderData.Load(folder!, new ImageFolderOptions { Size = parse.GetValue(size), Grayscale = parse.GetValue(grayscale) });
                foreach (var skipped in loaded.Skipped) error.WriteLine($"cnnlens: warning: skipped '{skipped.Path}': {skipped.Reason}");
                train = loaded.Data;
            }
            if (parse.GetValue(limit) is { } n) train = train.Take(n);
            if (!isQuiet)
                writer.WriteLine($"training {ArchitectureNames.Name(options.Architecture)} on {train.Count} images ({train.Channels}x{train.Height}x{train.Width}), " +
                                 $"{train.ClassNames.Count} classes, {options.Optimizer.ToString().ToLowerInvariant()} lr {options.EffectiveLearningRate.ToString("G4", CultureInfo.InvariantCulture)}, " +
                                 $"{options.Schedule.ToString().ToLowerInvariant()} schedule, augment {Augmenter.Describe(options.Augmentation)}");

            var progress = new EpochReporter(writer, isQuiet);
            TrainingResult result;
            try
            {
                result = Trainer.Train(train, options, progress, cancellation);
            }
            finally
            {
                progress.Dispose();
            }
            if (result.StoppedEarly && !isQuiet)
                writer.WriteLine($"stopped early after epoch {result.History.Count} (patience {options.Patience}); kept the best epoch's weights");
            if (test is not null)
            {
                var evaluation = result.Evaluate(test, cancellation);
                writer.WriteLine($"test accuracy {evaluation.Accuracy.ToString("P2", CultureInfo.InvariantCulture)} ({evaluation.Count} images), loss {evaluation.Loss.ToString("F4", CultureInfo.InvariantCulture)}");
            }
            cancellation.ThrowIfCancellationRequested();
            result.Save(outPath);
            writer.WriteLine($"wrote {outPath}");
        });
        return command;
    }

    /// <summary>A progress bar per epoch (on a terminal, unless --quiet) followed by the epoch's line.</summary>
    private sealed class EpochReporter(TextWriter writer, bool quiet) : IProgress<TrainingProgress>, IDisposable
    {
        private ProgressBar? _bar;

        public void Report(TrainingProgress value)
        {
            if (quiet) return;
            if (value.Completed is not { } epoch)
            {
                _bar ??= ProgressBar.ForConsole(quiet);
                _bar?.Report($"epoch {value.Epoch}/{value.Epochs} loss {value.Loss:F4}", value.Batch, value.Batches);
                return;
            }
            Dispose();
            var c = CultureInfo.InvariantCulture;
            string line = $"epoch {epoch.Epoch}/{value.Epochs}  lr {epoch.LearningRate.ToString("G4", c)}  loss {epoch.TrainLoss.ToString("F4", c)}  accuracy {epoch.TrainAccuracy.ToString("P2", c)}";
            if (epoch.ValidationLoss is { } vl) line += $"  validation loss {vl.ToString("F4", c)}  accuracy {epoch.ValidationAccuracy!.Value.ToString("P2", c)}";
            writer.WriteLine(line + $"  ({epoch.Seconds.ToString("F1", c)} s)");
        }

        public void Dispose()
        {
            _bar?.Dispose();
            _bar = null;
        }
    }
}
