using System.CommandLine;
using System.Globalization;
using CnnLens.Visualization;

namespace CnnLens.Cli.Commands.Visualize;

/// <summary><c>cnnlens visualize top-patches</c>: the images and receptive-field patches of a folder that excite chosen channels most.</summary>
public static class VisualizeTopPatchesCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var images = new Option<string>("--images") { Description = "folder of images to scan", Required = true };
        var layer = new Option<string>("--layer") { Description = "feature-map tensor (see 'cnnlens layers')", Required = true };
        var channels = new Option<string>("--channels") { Description = "channel indices, comma-separated: K[,K...]", Required = true };
        var top = new Option<int>("--top") { Description = "images per channel", DefaultValueFactory = _ => 9 };
        var batchSize = new Option<int>("--batch-size") { Description = "images per forward pass", DefaultValueFactory = _ => 16 };
        var preprocessing = new ImageInputOptions();
        var threads = CommonOptions.Threads();
        var quiet = CommonOptions.Quiet();
        var outputs = new VisualizeOutputs();
        var command = new Command("top-patches", "Find the images (and receptive-field patches) of a folder that excite channels most") { model, images, layer, channels, top, batchSize, threads, quiet };
        preprocessing.AddPreprocessingTo(command);
        outputs.AddTo(command);
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var (png, report) = outputs.Check(parse);
            var options = new TopPatchOptions { Top = parse.GetValue(top), BatchSize = parse.GetValue(batchSize) };
            var wanted = ParseChannels(parse.GetRequiredValue(channels));
            var files = ImageInputOptions.ImagesIn(parse.GetRequiredValue(images), "--images");
            var m = CommonOptions.LoadModel(parse.GetRequiredValue(model));
            var prep = preprocessing.ReadPreprocessing(parse, m);
            string name = parse.GetRequiredValue(layer);
            bool talk = !parse.GetValue(quiet);
            TopPatchResult result;
            using (var bar = ProgressBar.ForConsole(!talk))
                result = TopPatchFinder.Find(m, files, prep, name, wanted, options, bar, CommandRunner.Cancellation);

            if (png is not null) VisualizeOutputs.WritePng(png, TopPatchGrid.Render(result).Grid);
            if (report is not null)
                VisualizeOutputs.WriteReport(report, $"Top patches of {m.Name}", $"Layer {name}, {files.Length} images from {parse.GetRequiredValue(images)}.", VisualizationChapters.TopPatches(result).ToArray());
            var output = parse.InvocationConfiguration.Output;
            for (int k = 0; k < result.Channels.Length; k++)
            {
                output.WriteLine($"channel {result.Channels[k]}:");
                foreach (var (p, r) in result.Patches[k].Select((p, r) => (p, r)))
                    output.WriteLine($"  {r + 1,2}. {p.Activation.ToString("G6", CultureInfo.InvariantCulture),12}  at ({p.Y}, {p.X})  patch {p.Field.Clipped}  {p.Source}");
            }
        });
        return command;
    }

    private static int[] ParseChannels(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new InvalidOptionException("--channels needs at least one channel index");
        return parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int c) && c >= 0 ? c
            : throw new InvalidOptionException($"--channels takes non-negative whole numbers separated by commas, not '{p}'")).ToArray();
    }
}
