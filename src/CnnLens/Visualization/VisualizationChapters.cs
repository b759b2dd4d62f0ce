using System.Globalization;
using CnnLens.Imaging;
using CnnLens.Reports;

namespace CnnLens.Visualization;

/// <summary>The visualisation panels as chapters of a <see cref="StoryReport"/> (what <c>visualize --report</c> writes).</summary>
public static class VisualizationChapters
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static StoryChapter Filters(FilterVisualization filters)
    {
        var w = filters.Weights;
        string layout = filters.IsRgb
            ? "one RGB tile per filter (the input's colour channels)"
            : $"one row per filter, one grey tile per input channel (first {filters.InputChannelsShown} of {w.Dim(1)})";
        var rows = filters.Filters.Take(32).Select(f => (IReadOnlyList<string>)
            [f.ToString(Invariant), filters.Norms[f].ToString("G4", Invariant)]).ToArray();
        return new StoryChapter
        {
            Heading = $"Filters of {filters.NodeName} ({filters.OutputName})",
            Paragraphs =
            [
                $"Weights '{filters.WeightName}' of shape [{string.Join(",", w.ShapeArray)}]: {layout}. Mid-grey is zero weight. Numbers are filter indices; {filters.Filters.Length} of {w.Dim(0)} filters shown.",
            ],
            Tables = [new StoryTable("L2 norm per filter (display order, first 32)", ["filter", "L2 norm"], rows)],
            Gallery = [new StoryFigure($"filters of {filters.NodeName}", filters.Grid, Math.Min(960, Math.Max(320, filters.Grid.Width)))],
        };
    }

    public static StoryChapter Activations(ActivationVisualization maps, Image? photo)
    {
        var figures = new List<StoryFigure>();
        if (photo is not null) figures.Add(new StoryFigure("input as the model saw it", photo));
        figures.Add(new StoryFigure($"feature maps of {maps.Layer}", maps.Grid, Math.Min(960, Math.Max(320, maps.Grid.Width))));
        for (int k = 0; k < maps.Overlays.Count; k++)
            figures.Add(new StoryFigure($"channel {maps.Channels[k]} (mean {maps.Means[k].ToString("G4", Invariant)}, max {maps.Maxima[k].ToString("G4", Invariant)})", maps.Overlays[k]));
        var a = maps.Activation;
        return new StoryChapter
        {
            Heading = $"Feature maps of {maps.Layer}",
            Paragraphs =
            [
                $"Activation [{string.Join(",", a.ShapeArray)}]; {maps.Channels.Length} channels drawn, each numbered and scaled to its own range. Overlays: a channel's positive part upsampled bilinearly to the input and blended over it.",
            ],
            Tables = [new StoryTable("drawn channels", ["channel", "mean", "max"],
                maps.Channels.Select((c, k) => (IReadOnlyList<string>)[c.ToString(Invariant), maps.Means[k].ToString("G4", Invariant), maps.Maxima[k].ToString("G4", Invariant)]).Take(64).ToArray())],
            Gallery = figures,
        };
    }

    public static IEnumerable<StoryChapter> TopPatches(TopPatchResult result)
    {
        for (int k = 0; k < result.Channels.Length; k++)
        {
            var patches = result.Patches[k];
            yield return new StoryChapter
            {
                Heading = $"Channel {result.Channels[k]} of {result.Layer}: top {patches.Count} of {result.Sources.Count} images",
                Paragraphs = ["Each patch is the receptive field of the position where the channel peaks (grey: padding outside the image)."],
                Tables = [new StoryTable("top images", ["rank", "image", "activation", "position (y, x)", "patch (clipped)"],
                    patches.Select((p, r) => (IReadOnlyList<string>)
                        [(r + 1).ToString(Invariant), Path.GetFileName(p.Source), p.Activation.ToString("G5", Invariant), $"({p.Y}, {p.X})", p.Field.Clipped.ToString()]).ToArray())],
                Gallery = patches.Where(p => p.Patch is not null)
                    .Select(p => new StoryFigure($"{Path.GetFileName(p.Source)}: {p.Activation.ToString("G4", Invariant)}", p.Patch!, 112)).ToArray(),
            };
        }
    }
}
