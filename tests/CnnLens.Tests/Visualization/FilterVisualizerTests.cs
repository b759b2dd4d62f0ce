using CnnLens.Graph;
using CnnLens.Imaging;
using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tests.Support;
using CnnLens.Visualization;

namespace CnnLens.Tests.Visualization;

/// <summary>Filter grids: every drawn pixel is round(255·v) of its weight under the documented scaling.</summary>
public class FilterVisualizerTests
{
    /// <summary>A conv with two 2x2 filters of hand-picked weights on a one-channel input.</summary>
    private static Model HandFilters()
    {
        var weights = Tensor.FromValues([2, 1, 2, 2], 1f, -2f, 0f, 4f, 0.5f, 0.5f, -1f, 0f);
        var onnx = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "filters",
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(1, null), new(1, null), new(6, null), new(6, null)] } },
                Outputs = { new OnnxValueInfo { Name = "y" } },
                Initializers = { ["w"] = weights },
                Nodes = { new OnnxNode { Name = "conv", OpType = "Conv", Inputs = ["x", "w"], Outputs = ["y"] } },
            },
            Opsets = { [""] = 13 },
        };
        return Model.FromOnnx(onnx, "filters");
    }

    /// <summary>The pixel at the centre of weight (i, j) of input channel c of the filter drawn at display position d.</summary>
    private static (byte R, byte G, byte B) WeightPixel(FilterVisualization v, int display, int channel, int i, int j)
    {
        var (x, y, _, _) = v.Layout.CellContent(v.CellIndex(display, channel));
        int px = x + j * v.PixelsPerWeight + v.PixelsPerWeight / 2, py = y + i * v.PixelsPerWeight + v.PixelsPerWeight / 2;
        return (v.Grid[px, py, 0], v.Grid[px, py, 1], v.Grid[px, py, 2]);
    }

    private static byte Grey(double v) => (byte)Math.Round(255 * v, MidpointRounding.AwayFromZero);

    [Fact]
    public void Hand_weights_give_the_hand_computed_grey_levels()
    {
        // Shared symmetric scaling, m = 4: v = 0.5 + 0.5·w/4. Filter 0: 1 → 0.625, -2 → 0.25, 0 → 0.5, 4 → 1.
        var shared = FilterVisualizer.Visualize(HandFilters(), new FilterVisualizerOptions { PixelsPerWeight = 4 });
        Assert.Equal([0.625f, 0.25f, 0.5f, 1f, 0.5625f, 0.5625f, 0.375f, 0.5f], shared.Normalized.Data);
        Assert.Equal((159, 159, 159), ((int, int, int))WeightPixel(shared, 0, 0, 0, 0));
        Assert.Equal((64, 64, 64), ((int, int, int))WeightPixel(shared, 0, 0, 0, 1));
        Assert.Equal((96, 96, 96), ((int, int, int))WeightPixel(shared, 1, 0, 1, 0));
        // Per filter, filter 1 has m = 1: 0.5 → 0.75, -1 → 0.
        var perFilter = FilterVisualizer.Visualize(HandFilters(), new FilterVisualizerOptions { PerFilter = true });
        Assert.Equal([0.75f, 0.75f, 0f, 0.5f], perFilter.Normalized.Data[4..]);
        // Min-max over all: min -2, max 4: 1 → 0.5, 0.5 → 2.5/6.
        var minMax = FilterVisualizer.Visualize(HandFilters(), new FilterVisualizerOptions { Scaling = FilterScaling.MinMax });
        Assert.Equal(0.5f, minMax.Normalized.Data[0], 6);
        Assert.Equal(2.5f / 6f, minMax.Normalized.Data[4], 6);
        // Norms: sqrt(1 + 4 + 0 + 16) and sqrt(0.25 + 0.25 + 1): sorting puts filter 0 first.
        Assert.Equal(MathF.Sqrt(21f), shared.Norms[0], 5);
        Assert.Equal(MathF.Sqrt(1.5f), shared.Norms[1], 5);
    }

    [Fact]
    public void First_layer_colour_filters_are_rgb_tiles_equal_to_the_weights()
    {
        var model = EngineFixtures.Load("resnet18");
        var v = FilterVisualizer.Visualize(model);
        var weights = model.Onnx.Graph.Initializers["conv1.weight"];
        Assert.True(v.IsRgb);
        Assert.Equal("conv1.weight", v.WeightName);
        double m = weights.Data.Max(Math.Abs);
        for (int f = 0; f < weights.Dim(0); f++)
            for (int i = 0; i < weights.Dim(2); i++)
                for (int j = 0; j < weights.Dim(3); j++)
                {
                    var (r, g, b) = WeightPixel(v, f, 0, i, j);
                    Assert.Equal(Grey(0.5 + 0.5 * weights[f, 0, i, j] / m), r);
                    Assert.Equal(Grey(0.5 + 0.5 * weights[f, 1, i, j] / m), g);
                    Assert.Equal(Grey(0.5 + 0.5 * weights[f, 2, i, j] / m), b);
                }
    }

    [Fact]
    public void Deeper_filters_draw_one_grey_tile_per_input_channel_sorted_by_norm()
    {
        var model = EngineFixtures.Load("lenet");
        var v = FilterVisualizer.Visualize(model, new FilterVisualizerOptions
        {
            Layer = "/conv2/Conv_output_0", PerFilter = true, Scaling = FilterScaling.MinMax, SortByNorm = true,
        });
        var weights = model.Onnx.Graph.Initializers[v.WeightName];
        Assert.Equal([16, 6, 5, 5], weights.ShapeArray);
        Assert.False(v.IsRgb);
        Assert.Equal(6, v.InputChannelsShown);
        var norms = Enumerable.Range(0, 16).Select(f => Math.Sqrt(Enumerable.Range(0, 150).Sum(i => (double)weights.Data[f * 150 + i] * weights.Data[f * 150 + i]))).ToArray();
        Assert.Equal(Enumerable.Range(0, 16).OrderByDescending(f => norms[f]).ToArray(), v.Filters);
        for (int d = 0; d < 16; d += 5)
        {
            int f = v.Filters[d];
            var filter = weights.Data.AsSpan(f * 150, 150).ToArray();
            double min = filter.Min(), max = filter.Max();
            foreach (var (c, i, j) in new[] { (0, 0, 0), (2, 1, 3), (5, 4, 4) })
            {
                var (r, g, b) = WeightPixel(v, d, c, i, j);
                byte expected = Grey((weights[f, c, i, j] - min) / (max - min));
                Assert.Equal(expected, r);
                Assert.Equal(r, g);
                Assert.Equal(r, b);
            }
        }
    }

    [Fact]
    public void Layer_names_resolve_by_node_output_or_weight_and_others_are_refused()
    {
        var model = EngineFixtures.Load("lenet");
        Assert.Equal("/conv1/Conv", FilterVisualizer.FindConvolution(model, null).Name);
        Assert.Equal("/conv2/Conv", FilterVisualizer.FindConvolution(model, "/conv2/Conv").Name);
        Assert.Equal("/conv2/Conv", FilterVisualizer.FindConvolution(model, "conv2.weight").Name);
        var relu = Assert.Throws<InvalidOptionException>(() => FilterVisualizer.FindConvolution(model, "/Relu_output_0"));
        Assert.Contains("Relu", relu.Message);
        Assert.Contains("not a convolution", relu.Message);
        var typo = Assert.Throws<InvalidOptionException>(() => FilterVisualizer.FindConvolution(model, "/conv2/Conv_output"));
        Assert.Contains("/conv2/Conv_output_0", typo.Message);
    }

    [Fact]
    public void Filter_labels_are_drawn_in_the_padding_above_each_tile()
    {
        var v = FilterVisualizer.Visualize(HandFilters(), new FilterVisualizerOptions { PixelsPerWeight = 8 });
        var (x, y, _, _) = v.Layout.CellContent(1);
        // Glyph "1" (rows 010 110 010 010 111) drawn at (x, y - 7): its top-row middle pixel is black.
        Assert.Equal(0, v.Grid[x + 1, y - 7, 0]);
        Assert.Equal(255, v.Grid[x, y - 7, 0]);
        var unlabelled = FilterVisualizer.Visualize(HandFilters(), new FilterVisualizerOptions { PixelsPerWeight = 8, Labels = false });
        Assert.Equal(2, unlabelled.Layout.Padding);
    }
}
