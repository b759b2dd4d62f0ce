using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tests.Support;
using CnnLens.Visualization;

namespace CnnLens.Tests.Visualization;

/// <summary>Top patches equal a brute-force scan (one image at a time) of a small generated folder.</summary>
public class TopPatchFinderTests
{
    private const int Size = 12;
    private const string Layer = "t3";

    /// <summary>conv3 p1 (3→2 channels) → relu → maxpool 2 s2 → conv3 p1 (2→3 channels) "t3": fields of 8 pixels, step 2, start -3.</summary>
    internal static Model Model()
    {
        var w1 = new Tensor(2, 3, 3, 3);
        for (int i = 0; i < w1.Length; i++) w1.Data[i] = MathF.Sin(1.7f * i + 0.3f);
        var w2 = new Tensor(3, 2, 3, 3);
        for (int i = 0; i < w2.Length; i++) w2.Data[i] = MathF.Cos(0.9f * i);
        OnnxNode Node(string op, string[] inputs, string output, params (string, object)[] attributes)
        {
            var node = new OnnxNode { Name = output, OpType = op, Inputs = inputs, Outputs = [output] };
            foreach (var (key, value) in attributes) node.Attributes.Set(key, value);
            return node;
        }
        var pads = ("pads", (object)new long[] { 1, 1, 1, 1 });
        var onnx = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "patches",
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(null, "N"), new(3, null), new(Size, null), new(Size, null)] } },
                Outputs = { new OnnxValueInfo { Name = Layer } },
                Initializers = { ["w1"] = w1, ["w2"] = w2 },
                Nodes =
                {
                    Node("Conv", ["x", "w1"], "t1", pads),
                    Node("Relu", ["t1"], "r1"),
                    Node("MaxPool", ["r1"], "t2", ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })),
                    Node("Conv", ["t2", "w2"], Layer, pads),
                },
            },
            Opsets = { [""] = 13 },
        };
        return Graph.Model.FromOnnx(onnx, "patches");
    }

    /// <summary>Seeded random RGB images img00.png ... in <paramref name="folder"/>.</summary>
    internal static string[] WriteImages(string folder, int count)
    {
        var random = new Random(7);
        var files = new string[count];
        for (int n = 0; n < count; n++)
        {
            var image = new Image(Size, Size, 3);
            random.NextBytes(image.Pixels);
            files[n] = Path.Combine(folder, $"img{n:D2}.png");
            PngEncoder.Save(image, files[n]);
        }
        return files;
    }

    [Fact]
    public void Top_images_positions_and_patches_equal_a_brute_force_scan()
    {
        using var dir = new TempDirectory();
        var files = WriteImages(dir.Path, 11);
        var model = Model();
        var preprocessing = new PreprocessingOptions();
        int[] channels = [2, 0];
        var reports = new List<AttributionProgress>();
        var result = TopPatchFinder.Find(model, files, preprocessing, Layer, channels, new TopPatchOptions { Top = 4, BatchSize = 4 },
            new SynchronousProgress(reports.Add));

        // Brute force: each image alone, the first maximum in row-major order.
        var scans = files.Select(f => model.Forward(ImagePreprocessor.LoadTensor(f, preprocessing), [Layer])[Layer]).ToArray();
        for (int k = 0; k < channels.Length; k++)
        {
            var expected = scans.Select((a, n) =>
            {
                var plane = Enumerable.Range(0, 36).Select(p => a[0, channels[k], p / 6, p % 6]).ToArray();
                int at = Array.IndexOf(plane, plane.Max());
                return (Image: n, Value: plane[at], Y: at / 6, X: at % 6);
            }).OrderByDescending(e => e.Value).ThenBy(e => e.Image).Take(4).ToArray();
            var found = result.Patches[k];
            Assert.Equal(expected.Select(e => e.Image), found.Select(p => p.ImageIndex));
            for (int r = 0; r < 4; r++)
            {
                var p = found[r];
                Assert.Equal(expected[r].Value, p.Activation, 5);
                Assert.Equal((expected[r].Y, expected[r].X), (p.Y, p.X));
                Assert.Equal(channels[k], p.Channel);
                // Hand-derived field (size 8, step 2, start -3), clipped to the 12x12 image.
                var unclipped = new PixelRectangle(-3 + 2 * p.Y, -3 + 2 * p.X, 8, 8);
                Assert.Equal(unclipped, p.Field.Unclipped);
                Assert.Equal(unclipped.ClipTo(Size, Size), p.Field.Clipped);
                var image = ImageDecoder.DecodeFile(files[p.ImageIndex]);
                for (int y = 0; y < 8; y++)
                    for (int x = 0; x < 8; x++)
                    {
                        int sy = unclipped.Top + y, sx = unclipped.Left + x;
                        bool inside = sy >= 0 && sy < Size && sx >= 0 && sx < Size;
                        Assert.Equal(inside ? image[sx, sy, 1] : 128, p.Patch![x, y, 1]);
                    }
            }
        }
        Assert.Equal(11, reports[^1].Done);
        Assert.Equal(11, reports[^1].Total);
        var (grid, layout) = TopPatchGrid.Render(result);
        Assert.Equal((4, 2), (layout.Columns, layout.Rows));
        Assert.Equal(64, layout.CellWidth); // 8 px patches enlarged 8 times
    }

    [Fact]
    public void Bad_channels_unreadable_images_and_cancellation_stop_the_scan()
    {
        using var dir = new TempDirectory();
        var files = WriteImages(dir.Path, 3);
        var model = Model();
        var options = new PreprocessingOptions();
        var channel = Assert.Throws<InvalidOptionException>(() => TopPatchFinder.Find(model, files, options, Layer, [3]));
        Assert.Contains("channel 3 is outside layer 't3' (3 channels: 0..2)", channel.Message);
        var typo = Assert.Throws<InvalidOptionException>(() => TopPatchFinder.Find(model, files, options, "t4", [0]));
        Assert.Contains("nearest names", typo.Message);
        File.WriteAllText(dir.File("broken.png"), "not an image");
        var broken = Assert.Throws<DataFormatException>(() => TopPatchFinder.Find(model, [.. files, dir.File("broken.png")], options, Layer, [0]));
        Assert.Contains("broken.png", broken.Message);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => TopPatchFinder.Find(model, files, options, Layer, [0], cancellation: cancelled.Token));
    }

    private sealed class SynchronousProgress(Action<AttributionProgress> report) : IProgress<AttributionProgress>
    {
        public void Report(AttributionProgress value) => report(value);
    }
}
