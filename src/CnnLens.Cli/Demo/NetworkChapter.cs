using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Visualization;

namespace CnnLens.Cli.Demo;

/// <summary>Chapter 3: what the digit model learned — its first-layer filters and the activation maps of a digit.</summary>
public static class NetworkChapter
{
    public static StoryChapter Build(Model model, DemoInput input)
    {
        // One shared scale (zero at mid-grey), so strong and weak filters can be compared.
        var filters = FilterVisualizer.Visualize(model, new FilterVisualizerOptions { PixelsPerWeight = 8 });
        var digit = DemoAssets.Digit(6);
        var maps = ActivationVisualizer.Visualize(model, input.Prepare(DemoImages.Stack([digit])), [filters.OutputName], new ActivationVisualizerOptions { Ranking = ChannelRanking.Index }).Single();
        return new StoryChapter
        {
            Heading = "3. What the digit model learned",
            Paragraphs =
            [
                $"Left: the {filters.Weights.Dim(0)} filters of the first convolution ({filters.NodeName}) on one shared scale: mid-grey is zero, white positive, black negative weights — stroke and edge detectors at several orientations.",
                $"Right: what each of them sees in the digit 6 (tensor {filters.OutputName}, each map on its own viridis scale, channel numbers in the corner). `cnnlens visualize filters|activations|top-patches|maximize` draws the same for any model and layer.",
            ],
            Gallery =
            [
                new StoryFigure("digit 6 as the model saw it", DemoImages.Gray(digit), 112),
                new StoryFigure($"first-layer filters ({filters.NodeName})", filters.Grid, 320),
                new StoryFigure($"activation maps of {filters.OutputName}", maps.Grid, 480),
            ],
        };
    }
}
