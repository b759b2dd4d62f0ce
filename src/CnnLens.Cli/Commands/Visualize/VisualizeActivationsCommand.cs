using System.CommandLine;
using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Visualization;

namespace CnnLens.Cli.Commands.Visualize;

/// <summary><c>cnnlens visualize activations</c>: feature maps of one or more layers for an image.</summary>
public static class VisualizeActivationsCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = new ImageInputOptions();
        var layer = new Option<string[]>("--layer") { Description = "tensor(s) to draw (see 'cnnlens layers'); several give one PNG each (OUT-1.png, OUT-2.png, ...)", Required = true, AllowMultipleArgumentsPerToken = true };
        var top = new Option<int?>("--top") { Description = "draw only the K channels with the highest --rank" };
        var rank = new Option<string?>("--rank") { Description = "channel order: mean|max|index (default: mean with --top, else index)" };
        var overlay = new Option<string?>("--overlay") { Description = "also write a PNG of the first channels' overlays on the image (input resolution)" };
        var colormap = new Option<string>("--colormap") { Description = "colormap of the maps (default viridis)", DefaultValueFactory = _ => "viridis" };
        var threads = CommonOptions.Threads();
        var quiet = CommonOptions.Quiet();
        var outputs = new VisualizeOutputs();
        var command = new Command("activations", "Draw the feature maps of layers for an image, numbered, optionally only the top K channels") { model, layer, top, rank, overlay, colormap, threads, quiet };
        input.AddTo(command);
        outputs.AddTo(command);
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var (png, report) = outputs.Check(parse);
            string? overlayPath = parse.GetValue(overlay);
            if (overlayPath is not null) AtomicFile.CheckFolder(overlayPath, "--overlay");
            var options = new ActivationVisualizerOptions
            {
                Top = parse.GetValue(top),
                Ranking = (parse.GetValue(rank) ?? (parse.GetValue(top) is null ? "index" : "mean")) switch
                {
                    "mean" => ChannelRanking.Mean,
                    "max" => ChannelRanking.Max,
                    "index" => ChannelRanking.Index,
                    var other => throw new InvalidOptionException($"unknown --rank '{other}'; use mean, max or index"),
                },
                Colormap = Colormaps.ByName(parse.GetValue(colormap)!),
            };
            var layers = parse.GetRequiredValue(layer).SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var m = CommonOptions.LoadModel(parse.GetRequiredValue(model));
            foreach (var l in layers)
                if (!m.Graph.HasTensor(l)) throw Attribution.LayerNames.NotFound(m, l);
            var (x, _, sources, prepared) = input.Read(parse, m);
            var photo = prepared?[0] ?? InputPicture(x);
            var maps = ActivationVisualizer.Visualize(m, x, layers, options, photo);

            var output = parse.InvocationConfiguration.Output;
            bool talk = !parse.GetValue(quiet);
            if (talk && x.Dim(0) > 1) output.WriteLine($"drawing the first of {x.Dim(0)} images: {sources[0]}");
            for (int k = 0; k < maps.Count; k++)
            {
                if (png is not null) VisualizeOutputs.WritePng(VisualizeOutputs.Numbered(png, k, maps.Count), maps[k].Grid);
                if (overlayPath is not null && maps[k].Overlays.Count > 0)
                    VisualizeOutputs.WritePng(VisualizeOutputs.Numbered(overlayPath, k, maps.Count),
                        ImageGrid.Compose(maps[k].Overlays, new GridOptions { Columns = Math.Min(4, maps[k].Overlays.Count) }));
                if (talk)
                    output.WriteLine($"{maps[k].Layer} [{string.Join(",", maps[k].Activation.ShapeArray)}]: channels {string.Join(" ", maps[k].Channels.Take(16))}{(maps[k].Channels.Length > 16 ? " ..." : "")}");
            }
            if (report is not null)
                VisualizeOutputs.WriteReport(report, $"Feature maps of {m.Name}", $"Image {sources[0]}.", maps.Select(v => VisualizationChapters.Activations(v, photo)).ToArray());
        });
        return command;
    }

    /// <summary>The input tensor drawn as a picture (min-max) when no image file was given; null when it has neither 1 nor 3 channels.</summary>
    private static Image? InputPicture(Tensors.Tensor x) =>
        x.Rank == 4 && x.Dim(1) is 1 or 3 ? TensorImage.ToImage(Tensors.Batch.Slice(x, 0, 1)) : null;
}
