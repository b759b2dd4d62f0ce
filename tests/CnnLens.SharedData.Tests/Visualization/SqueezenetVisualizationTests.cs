using CnnLens.Graph;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Tests.Support;
using CnnLens.Visualization;

namespace CnnLens.SharedData.Tests.Visualization;

/// <summary>Needs ../shared: filters, feature maps and receptive fields of the zoo's squeezenet1.1.</summary>
public class SqueezenetVisualizationTests
{
    private static readonly Lazy<Model> Squeezenet = new(() => Model.Load(RepositoryPaths.Shared("models", "squeezenet1.1.onnx")));

    [Fact]
    public void First_layer_filters_are_64_rgb_tiles_equal_to_the_weights()
    {
        var model = Squeezenet.Value;
        var v = FilterVisualizer.Visualize(model);
        var weights = model.Onnx.Graph.Initializers[v.WeightName];
        Assert.Equal([64, 3, 3, 3], weights.ShapeArray);
        Assert.True(v.IsRgb);
        double m = weights.Data.Max(Math.Abs);
        for (int f = 0; f < 64; f++)
        {
            var (x, y, _, _) = v.Layout.CellContent(f);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    for (int c = 0; c < 3; c++)
                    {
                        byte expected = (byte)Math.Round(255 * (0.5 + 0.5 * weights[f, c, i, j] / m), MidpointRounding.AwayFromZero);
                        Assert.Equal(expected, v.Grid[x + j * v.PixelsPerWeight + 1, y + i * v.PixelsPerWeight + 1, c]);
                    }
        }
    }

    [Fact]
    public void Feature_maps_of_a_photo_are_the_kept_tensor_and_overlays_cover_the_input()
    {
        var model = Squeezenet.Value;
        var prepared = ImagePreprocessor.Prepare(ImageDecoder.DecodeFile(RepositoryPaths.Shared("images", "jay.jpg"), DecodeOptions.MatchPil), PreprocessingOptions.Imagenet);
        var input = ImagePreprocessor.ToTensorPrepared(prepared, PreprocessingOptions.Imagenet);
        var kept = model.Forward(input, ["fire2"])["fire2"];
        var v = ActivationVisualizer.Visualize(model, input, ["fire2"], new ActivationVisualizerOptions { Top = 8, Ranking = ChannelRanking.Max }, prepared).Single();
        Assert.Equal(kept.Data, v.Activation.Data);
        int plane = 55 * 55;
        var maxima = Enumerable.Range(0, 128).Select(c => kept.Data.AsSpan(c * plane, plane).ToArray().Max()).ToArray();
        Assert.Equal(Enumerable.Range(0, 128).OrderByDescending(c => maxima[c]).Take(8).ToArray(), v.Channels);
        Assert.Equal(8, v.Overlays.Count);
        Assert.All(v.Overlays, o => Assert.Equal((224, 224), (o.Width, o.Height)));
    }

    [Fact]
    public void Fire3_sees_23_pixels_with_a_step_of_4()
    {
        // conv 3 s2 → (3, 2, 0); maxpool 3 s2 → (7, 4, 0); fire2 expand3x3 p1 → (15, 4, -4), concat with
        // expand1x1 (7, 4, 0) → (15, 4, -4); fire3 expand3x3 → (23, 4, -8), its concat keeps it.
        var fields = new ReceptiveFieldCalculator(Squeezenet.Value, 224, 224);
        Assert.Equal(new AxisReach(23, 4, -8), fields.GeometryOf("fire3").Vertical);
        Assert.Equal(new ReceptiveField(new(72, 112, 23, 23), new(72, 112, 23, 23)), fields.Of("fire3", 20, 30));
        Assert.True(fields.GeometryOf(Squeezenet.Value.OutputName).WholeImage);
    }
}
