using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution.Perturbation;

/// <summary>
/// The incremental forward must give the logits a full forward of the perturbed images gives, on
/// the engine fixture models (residual Add, Concat, depthwise convolutions, pools with padding and
/// ceil mode, BatchNorm, Shape-Reshape flattening, squeeze-excitation), with patches inside the
/// image and against every border.
/// </summary>
public class IncrementalForwardTests
{
    public static IEnumerable<object[]> Names => EngineFixtures.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Incremental_logits_equal_the_full_forward_of_the_perturbed_images(string name)
    {
        var model = EngineFixtures.Load(name);
        var image = EngineFixtures.Read(name, "input_b1");
        foreach (double fraction in new[] { IncrementalForward.DefaultFullFraction, 1.0 })
        {
            var incremental = new IncrementalForward(model, image, fraction);
            foreach (var (tops, lefts, size) in Layouts(image.Dim(2), image.Dim(3)))
            {
                var patch = RandomPatch(image, tops, lefts, size, seed: tops.Sum() + 7 * lefts.Sum());
                var expected = model.Predict(Apply(image, patch));
                var actual = incremental.Logits(patch);
                Assert.Equal(expected.ShapeArray, actual.ShapeArray);
                float scale = Math.Max(1f, expected.Data.Max(MathF.Abs));
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(MathF.Abs(expected.Data[i] - actual.Data[i]) <= 1e-5f * scale,
                        $"{name} fraction {fraction} patch {size} at ({string.Join(",", tops)}),({string.Join(",", lefts)}): logit {i} full {expected.Data[i]} incremental {actual.Data[i]}");
            }
        }
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("mobilenet_v2")]
    [InlineData("squeezenet1_1")]
    [InlineData("densenet121")]
    [InlineData("efficientnet_b0")]
    public void Small_patches_recompute_early_layers_on_a_region_only(string name)
    {
        var model = EngineFixtures.Load(name);
        var image = EngineFixtures.Read(name, "input_b1");
        var incremental = new IncrementalForward(model, image);
        incremental.Logits(RandomPatch(image, [4, 20], [4, 12], 6, seed: 1));
        Assert.True(incremental.LastRun.Incremental >= 5, $"{name}: {incremental.LastRun}");
        Assert.True(incremental.LastRun.Full >= 1, $"{name}: the classifier head mixes all positions: {incremental.LastRun}");
    }

    /// <summary>
    /// Window layers the fixtures lack: dilated grouped Conv with pads, auto_pad SAME_UPPER, AveragePool
    /// with pads counting them (gathered) and not counting them (recomputed in full), MaxPool in ceil mode.
    /// </summary>
    [Fact]
    public void Window_attributes_the_fixtures_lack_give_the_full_forward_numbers()
    {
        var random = new Random(5);
        Tensor Weights(params int[] shape)
        {
            var t = new Tensor(shape);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(random.NextDouble() - 0.5);
            return t;
        }
        OnnxNode Node(string op, string[] inputs, string output, params (string, object)[] attributes)
        {
            var node = new OnnxNode { Name = output, OpType = op, Inputs = inputs, Outputs = [output] };
            foreach (var (name, value) in attributes) node.Attributes.Set(name, value);
            return node;
        }
        var onnx = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "windows",
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(null, "N"), new(2, null), new(23, null), new(21, null)] } },
                Outputs = { new OnnxValueInfo { Name = "logits" } },
                Initializers = { ["w1"] = Weights(4, 1, 3, 3), ["b1"] = Weights(4), ["w2"] = Weights(3, 4, 2, 3), ["w3"] = Weights(5, 3, 1, 1) },
                Nodes =
                {
                    Node("Conv", ["x", "w1", "b1"], "c1", ("dilations", new long[] { 2, 2 }), ("pads", new long[] { 2, 1, 2, 3 }), ("group", 2L)),
                    Node("AveragePool", ["c1"], "a1", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 }), ("count_include_pad", 1L)),
                    Node("Conv", ["a1", "w2"], "c2", ("auto_pad", "SAME_UPPER")),
                    Node("MaxPool", ["c2"], "m2", ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }), ("ceil_mode", 1L)), // 12x11 -> 6x6, negative values too
                    Node("Sigmoid", ["m2"], "r2"), // injective, so a wrong maximum shows
                    Node("AveragePool", ["r2"], "a2", ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 })),
                    Node("Conv", ["a2", "w3"], "c3"),
                    Node("GlobalAveragePool", ["c3"], "g"),
                    Node("Flatten", ["g"], "logits"),
                },
            },
            Opsets = { [""] = 13 },
        };
        var model = Model.FromOnnx(onnx, "windows");
        var image = new Tensor(1, 2, 23, 21);
        for (int i = 0; i < image.Length; i++) image.Data[i] = (float)(random.NextDouble() * 2 - 1);
        var incremental = new IncrementalForward(model, image, fullFraction: 1.0);
        foreach (var (tops, lefts, size) in Layouts(23, 21))
        {
            var patch = RandomPatch(image, tops, lefts, size, seed: size);
            var expected = model.Predict(Apply(image, patch));
            var actual = incremental.Logits(patch);
            Compare.RelativeToLargest(expected.Data, actual.Data, 1e-5, $"patch {size}");
            Assert.Equal((5, 4), incremental.LastRun); // from the AveragePool without counted pads on (it, Conv, GAP, Flatten) in full
        }
    }

    [Fact]
    public void A_constant_that_varies_over_positions_sends_the_layer_to_full_recomputation()
    {
        var model = TinyModels.Region(); // Mul by a [1,2,32,32] mask: not a per-position broadcast
        var image = new Tensor(1, 3, 32, 32);
        for (int i = 0; i < image.Length; i++) image.Data[i] = MathF.Sin(i * 0.21f);
        var incremental = new IncrementalForward(model, image);
        var patch = RandomPatch(image, [6, 20, 0], [14, 0, 27], 5, seed: 3);
        Compare.RelativeToLargest(model.Predict(Apply(image, patch)).Data, incremental.Logits(patch).Data, 1e-6, "region model");
        Assert.Equal((2, 4), incremental.LastRun); // Conv and Relu on the window; Mul, pooling, Flatten, Add in full
    }

    [Fact]
    public void A_patch_with_other_channels_than_the_image_is_refused()
    {
        var model = EngineFixtures.Load("lenet");
        var image = EngineFixtures.Read("lenet", "input_b1");
        var incremental = new IncrementalForward(model, image);
        Assert.Throws<ShapeMismatchException>(() => incremental.Logits(new SpatialPatch([0], [0], new Tensor(1, 3, 4, 4))));
        Assert.Throws<ShapeMismatchException>(() => new IncrementalForward(model, new Tensor(2, 1, 28, 28)));
    }

    /// <summary>Batches of 3 patches: interior, touching the top-left and bottom-right borders, and mixed.</summary>
    private static IEnumerable<(int[] Tops, int[] Lefts, int Size)> Layouts(int height, int width)
    {
        yield return ([height / 2 - 2, 0, height - 5], [width / 2 - 3, width - 5, 0], 5);
        yield return ([0, 1, height - 3], [0, width - 3, 2], 3);
        yield return ([height / 3, height / 4, 0], [width / 5, 3, width / 2], 1);
    }

    private static SpatialPatch RandomPatch(Tensor image, int[] tops, int[] lefts, int size, int seed)
    {
        var random = new Random(seed);
        var values = new Tensor(tops.Length, image.Dim(1), size, size);
        for (int i = 0; i < values.Length; i++) values.Data[i] = (float)(random.NextDouble() * 4 - 2);
        return new SpatialPatch(tops, lefts, values);
    }

    /// <summary>The perturbed images written out in full, independently of the library's gather.</summary>
    private static Tensor Apply(Tensor image, SpatialPatch patch)
    {
        int c = image.Dim(1), h = image.Dim(2), w = image.Dim(3), size = patch.Height;
        var result = new Tensor(patch.Count, c, h, w);
        for (int i = 0; i < patch.Count; i++)
        {
            image.Data.CopyTo(result.Data, i * c * h * w);
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        result[i, ch, patch.Tops[i] + y, patch.Lefts[i] + x] = patch.Values[i, ch, y, x];
        }
        return result;
    }
}
