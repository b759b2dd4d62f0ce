using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tests.Support;
using CnnLens.Visualization;

namespace CnnLens.Tests.Visualization;

/// <summary>Activation grids show exactly the tensor Model.Forward keeps, in the requested channel order.</summary>
public class ActivationVisualizerTests
{
    private const string Layer = "/Relu_output_0";

    [Theory]
    [InlineData(ChannelRanking.Max)]
    [InlineData(ChannelRanking.Mean)]
    public void Grid_cells_are_the_kept_maps_of_the_top_channels(ChannelRanking ranking)
    {
        var model = EngineFixtures.Load("lenet");
        var input = EngineFixtures.Read("lenet", "input_b1");
        var kept = model.Forward(input, [Layer])[Layer];
        var options = new ActivationVisualizerOptions { Top = 3, Ranking = ranking, Colormap = Colormaps.Gray };
        var v = ActivationVisualizer.Visualize(model, input, [Layer], options).Single();

        Assert.Equal(kept.Data, v.Activation.Data);
        int channels = kept.Dim(1), plane = kept.Dim(2) * kept.Dim(3);
        double Score(int c)
        {
            var values = kept.Data.AsSpan(c * plane, plane).ToArray();
            return ranking == ChannelRanking.Max ? values.Max() : values.Average(x => (double)x);
        }
        Assert.Equal(Enumerable.Range(0, channels).OrderByDescending(Score).Take(3).ToArray(), v.Channels);

        Assert.Equal(2, v.PixelsPerValue); // 24 px maps enlarged to reach the 48 px minimum cell
        for (int k = 0; k < 3; k++)
        {
            var values = kept.Data.AsSpan(v.Channels[k] * plane, plane).ToArray();
            float min = values.Min(), max = values.Max();
            var (x0, y0, _, _) = v.Layout.CellContent(k);
            foreach (var (i, j) in new[] { (0, 0), (5, 17), (12, 12), (23, 23) })
            {
                double expected = 255.0 * (kept[0, v.Channels[k], i, j] - min) / (max - min);
                Assert.InRange(v.Grid[x0 + 2 * j + 1, y0 + 2 * i, 0], expected - 1, expected + 1);
            }
        }
    }

    [Fact]
    public void Overlays_have_the_photo_size_and_several_layers_share_one_forward()
    {
        // Its own instance: the shared fixture model runs other tests' forwards in parallel.
        var model = CnnLens.Graph.Model.Load(RepositoryPaths.Fixture("engine", "lenet.onnx"));
        var input = EngineFixtures.Read("lenet", "input_b1");
        var photo = TensorImage.ToImage(input);
        long runs = model.Executor.Runs;
        var maps = ActivationVisualizer.Visualize(model, input, [Layer, "/MaxPool_1_output_0"], new ActivationVisualizerOptions { Ranking = ChannelRanking.Index, Overlays = 2 }, photo);
        Assert.Equal(runs + 1, model.Executor.Runs);
        Assert.Equal(Enumerable.Range(0, 6).ToArray(), maps[0].Channels);
        Assert.Equal(Enumerable.Range(0, 16).ToArray(), maps[1].Channels);
        Assert.All(maps, m => Assert.Equal(2, m.Overlays.Count));
        Assert.All(maps.SelectMany(m => m.Overlays), o => Assert.Equal((28, 28), (o.Width, o.Height)));
        Assert.Equal(12, maps[1].PixelsPerValue); // 4x4 maps: 48 / 4
    }

    [Fact]
    public void Layers_without_positions_and_unknown_names_are_clear_errors()
    {
        var model = EngineFixtures.Load("lenet");
        var input = EngineFixtures.Read("lenet", "input_b1");
        var dense = Assert.Throws<InvalidOptionException>(() => ActivationVisualizer.Visualize(model, input, ["logits"]));
        Assert.Contains("[N,C,H,W]", dense.Message);
        var typo = Assert.Throws<InvalidOptionException>(() => ActivationVisualizer.Visualize(model, input, ["/Relu_output"]));
        Assert.Contains("nearest names: /Relu_output_0", typo.Message);
        Assert.Throws<InvalidOptionException>(() => ActivationVisualizer.Visualize(model, input, [Layer], new ActivationVisualizerOptions { Top = 0 }));
    }
}
