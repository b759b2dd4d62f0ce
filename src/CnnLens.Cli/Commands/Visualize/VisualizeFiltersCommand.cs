using System.CommandLine;
using CnnLens.Visualization;

namespace CnnLens.Cli.Commands.Visualize;

/// <summary><c>cnnlens visualize filters</c>: the weights of a convolution as an image grid.</summary>
public static class VisualizeFiltersCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var layer = new Option<string?>("--layer") { Description = "the Conv: node name, output tensor or weight name (default: the first Conv)" };
        var perFilter = new Option<bool>("--per-filter") { Description = "scale each filter on its own instead of one scale for all" };
        var minMax = new Option<bool>("--min-max") { Description = "min-max scaling instead of symmetric max-abs (zero at mid-grey)" };
        var sort = new Option<bool>("--sort-by-norm") { Description = "show filters by decreasing L2 norm" };
        var maxFilters = new Option<int>("--max-filters") { Description = "draw at most this many filters", DefaultValueFactory = _ => 256 };
        var maxChannels = new Option<int>("--max-channels") { Description = "tiles per filter for non-RGB filters (one per input channel)", DefaultValueFactory = _ => 16 };
        var quiet = CommonOptions.Quiet();
        var outputs = new VisualizeOutputs();
        var command = new Command("filters", "Draw a convolution's filters (RGB for first-layer colour filters, grey tiles per input channel otherwise)")
        {
            model, layer, perFilter, minMax, sort, maxFilters, maxChannels, quiet,
        };
        outputs.AddTo(command);
        command.SetAction(parse =>
        {
            var (png, report) = outputs.Check(parse);
            var options = new FilterVisualizerOptions
            {
                Layer = parse.GetValue(layer),
                PerFilter = parse.GetValue(perFilter),
                Scaling = parse.GetValue(minMax) ? FilterScaling.MinMax : FilterScaling.SymmetricMaxAbs,
                SortByNorm = parse.GetValue(sort),
                MaxFilters = parse.GetValue(maxFilters),
                MaxInputChannels = parse.GetValue(maxChannels),
            };
            var m = CommonOptions.LoadModel(parse.GetRequiredValue(model));
            var filters = FilterVisualizer.Visualize(m, options);
            if (png is not null) VisualizeOutputs.WritePng(png, filters.Grid);
            if (report is not null)
                VisualizeOutputs.WriteReport(report, $"Filters of {m.Name}", $"Convolution {filters.NodeName} of {m.Name}.", [VisualizationChapters.Filters(filters)]);
            if (!parse.GetValue(quiet))
                parse.InvocationConfiguration.Output.WriteLine(
                    $"{filters.Filters.Length} of {filters.Weights.Dim(0)} filters of {filters.NodeName} (weights {filters.WeightName} [{string.Join(",", filters.Weights.ShapeArray)}]){(png is null ? "" : " -> " + png)}{(report is null ? "" : " -> " + report)}");
        });
        return command;
    }
}
