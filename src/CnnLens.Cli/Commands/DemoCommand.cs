using System.CommandLine;
using CnnLens.Attribution;
using CnnLens.Attribution.Perturbation;
using CnnLens.Cli.Demo;
using CnnLens.Graph;
using CnnLens.Reports;

namespace CnnLens.Cli.Commands;

/// <summary>
/// <c>cnnlens demo</c>: the whole story offline, from the models and digits embedded in the tool —
/// (1) digits with distractor strokes explained with signed attributions, (2) a Clever Hans model
/// next to one trained on clean data, (3) the digit model's filters and activation maps.
/// Writes report.html and the explained pictures as PNGs (digits, each Clever Hans model) into --out.
/// </summary>
public static class DemoCommand
{
    /// <summary>Mark-free test images for the Clever Hans accuracies (--quick uses fewer, for tests).</summary>
    public const int TestImages = 2000, QuickTestImages = 200;

    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "folder for the demo's report and pictures", DefaultValueFactory = _ => "cnnlens-demo" };
        var quick = new Option<bool>("--quick") { Description = $"measure the Clever Hans accuracies on {QuickTestImages} instead of {TestImages} test images" };
        var quiet = CommonOptions.Quiet();
        // The recipe in tools/train_demo_models.sh trains the Clever Hans models on these folders.
        var trainingData = new Option<string?>("--write-training-data") { Description = "write the Clever Hans training folders here and exit", Hidden = true };
        var command = new Command("demo", "Run the built-in offline demo: digits, a Clever Hans model, and what a network learned") { outDir, quick, quiet, trainingData };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(trainingData) is { } dataDir)
            {
                CreateFolder(dataDir, "--write-training-data");
                CleverHansFolders.Write(dataDir, CleverHansFolders.TrainingImages);
                output.WriteLine($"Clever Hans training folders written to {Path.GetFullPath(dataDir)}");
                return;
            }
            bool silent = parse.GetValue(quiet);
            string dir = parse.GetValue(outDir)!;
            CreateFolder(dir, "--out"); // before any work: a bad folder is a clear error, not a lost run
            Run(dir, parse.GetValue(quick) ? QuickTestImages : TestImages, silent ? TextWriter.Null : output);
        });
        return command;
    }

    private static void Run(string dir, int testImages, TextWriter log)
    {
        var cancel = CommandRunner.Cancellation;
        var digitModel = DemoAssets.LoadModel(DemoAssets.MnistModel);
        var biased = DemoAssets.LoadModel(DemoAssets.BiasedModel);
        var clean = DemoAssets.LoadModel(DemoAssets.CleanModel);

        log.WriteLine("CnnLens demo: 1/3 digits with distractor strokes");
        var digitInput = DemoInput.For(digitModel);
        var (digits, digitsExplained) = DigitsChapter.Build(digitModel, digitInput, SignedMethods(digitInput, cancel));
        foreach (var row in digits.Tables[0].Rows)
            log.WriteLine($"  digit {row[0]}: as written {row[1]}, with the stroke {row[2]}");

        log.WriteLine("CnnLens demo: 2/3 Clever Hans");
        var shapeInput = DemoInput.For(biased);
        var (cleverHans, findings, biasedExplained, cleanExplained) =
            CleverHansChapter.Build(biased, clean, shapeInput, () => SignedMethods(shapeInput, cancel), testImages);
        foreach (var f in findings)
            log.WriteLine($"  {f.Model} model: {f.CleanAccuracy:P1} on mark-free test images, {f.MarkedAccuracy:P1} when marked, {f.MarkShare:P1} of its evidence on the mark");

        log.WriteLine("CnnLens demo: 3/3 filters and activation maps");
        var network = NetworkChapter.Build(digitModel, digitInput);
        cancel.ThrowIfCancellationRequested();

        var report = new StoryReport
        {
            Title = "CnnLens demo: why did the network say that?",
            Lead = "Everything on this page was computed offline by `cnnlens demo` from the small models and MNIST digits shipped inside the tool: the models were trained by `cnnlens train` (recipe: tools/train_demo_models.sh).",
            Chapters = [digits, cleverHans, network],
        };
        HtmlReportWriter.Write(report, Path.Combine(dir, "report.html"));
        ExplainPng.Write(digitsExplained, Path.Combine(dir, "digits.png"));
        ExplainPng.Write(biasedExplained, Path.Combine(dir, "clever-hans-biased.png"));
        ExplainPng.Write(cleanExplained, Path.Combine(dir, "clever-hans-clean.png"));
        log.WriteLine($"report written to {Path.GetFullPath(Path.Combine(dir, "report.html"))}");
    }

    private static void CreateFolder(string dir, string option)
    {
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InvalidOptionException($"{option}: cannot create the folder '{dir}' ({e.Message}); give a writable folder");
        }
    }

    /// <summary>
    /// Two signed methods that answer "for and against": integrated gradients from a black image
    /// (no ink) and occlusion of small patches, both attributing the score to each pixel with its sign.
    /// </summary>
    private static IReadOnlyList<AttributionMethod> SignedMethods(DemoInput input, CancellationToken cancel) =>
    [
        new IntegratedGradients(new() { Baseline = input.BlackBaseline, Steps = 32 }) { Cancellation = cancel },
        // 4x4 patches every 2 pixels: about a pen stroke's width on 28x28 digits and 32x32 shapes.
        new Occlusion(new() { Window = [1, 4, 4], Strides = [1, 2, 2], Baseline = input.BlackBaseline, BatchSize = 64 }) { Cancellation = cancel },
    ];
}
