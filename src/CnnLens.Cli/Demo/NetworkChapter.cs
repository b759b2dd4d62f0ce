using CnnLens.Graph;
using CnnLens.Imaging.Rendering;
using CnnLens.Reports;

namespace CnnLens.Cli.Demo;

/// <summary>Chapter 3: what the digit model learned — its first-layer filters and the activation maps of a digit.</summary>
public static class NetworkChapter
{
    public static StoryChapter Build(Model model, DemoInput input)
    {
        var firstConv = model.Graph.Nodes.First(n => n.OpType == "Conv");
        var weights = model.Onnx.Graph.Initializers[firstConv.Inputs[1]];
        // Filters share one scale, so strong and weak filters can be compared.
        var filters = ImageGrid.Compose(TensorImage.ChannelImages(weights.Reshape(weights.Dim(0), weights.Dim(2), weights.Dim(3)), Colormaps.Gray, TensorNormalization.PerTensor),
            new GridOptions { CellWidth = 40, CellHeight = 40, Padding = 4 });
        var digit = DemoAssets.Digit(6);
        string layer = firstConv.Outputs[0];
        var activations = model.Forward(input.Prepare(DemoImages.Stack([digit])), [layer])[layer];
        var maps = ImageGrid.Compose(TensorImage.ChannelImages(activations, Colormaps.Viridis), new GridOptions { CellWidth = 72, CellHeight = 72, Padding = 4 });
        return new StoryChapter
        {
            Heading = "3. What the digit model learned",
            Paragraphs =
            [
                $"Left: the {weights.Dim(0)} filters of the first convolution ({firstConv.Name}), drawn on one shared grey scale — edge and stroke detectors at several orientations.",
                $"Right: what each of them sees in the digit 6 (tensor {layer}, each map on its own viridis scale). `cnnlens visualize` draws the same for any model and layer.",
            ],
            Gallery =
            [
                new StoryFigure("digit 6 as the model saw it", DemoImages.Gray(digit), 112),
                new StoryFigure($"first-layer filters ({firstConv.Name})", filters, 320),
                new StoryFigure($"activation maps of {layer}", maps, 480),
            ],
        };
    }
}
