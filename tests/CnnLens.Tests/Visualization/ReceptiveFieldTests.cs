using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;
using CnnLens.Tests.Support;
using CnnLens.Visualization;

namespace CnnLens.Tests.Visualization;

/// <summary>
/// Receptive fields derived by hand for small stacks, and checked against a brute-force probe:
/// the bounding box of the input pixels where the gradient of one output position is non-zero
/// (weights of ones on an input of ones, so every pixel in the field gets a positive gradient).
/// </summary>
public class ReceptiveFieldTests
{
    private static Model TwoConv3() => new StackModels(16).Conv(3, pad: 1).Conv(3, pad: 1).Build();

    private static Model ConvPoolConv(string pool) => new StackModels(16).Conv(3, pad: 1).Pool(pool, 2, 2).Conv(3, pad: 1).Build();

    private static Model Dilated() => new StackModels(16).Conv(3, pad: 2, dilation: 2).Conv(3, pad: 1).Build();

    private static Model OverPadded() => new StackModels(8).Conv(3, pad: 3).Build();

    private static Model Strided() => new StackModels(16).Conv(3, stride: 2, pad: 1).Conv(3, stride: 2, pad: 1).Build();

    /// <summary>t1 = 1x1 conv of x, t2 = 3x3 conv of x, t3 = t1 + t2, t4 = 3x3 conv of t3.</summary>
    private static Model Merged() => new StackModels(16).Conv(1).Conv(3, pad: 1, from: "x").Sum("t1", "t2").Conv(3, pad: 1).Build();

    [Fact]
    public void Two_3x3_convolutions_see_5x5_and_the_corner_is_clipped()
    {
        var fields = new ReceptiveFieldCalculator(TwoConv3(), 16, 16);
        Assert.Equal(new AxisReach(5, 1, -2), fields.GeometryOf("t2").Vertical);
        Assert.Equal(new ReceptiveField(new(0, 0, 3, 3), new(-2, -2, 5, 5)), fields.Of("t2", 0, 0));
        Assert.Equal(new ReceptiveField(new(6, 6, 5, 5), new(6, 6, 5, 5)), fields.Of("t2", 8, 8));
        Assert.Equal(new ReceptiveField(new(13, 13, 3, 3), new(13, 13, 5, 5)), fields.Of("t2", 15, 15));
    }

    [Theory]
    [InlineData("MaxPool")]
    [InlineData("AveragePool")]
    public void A_stride_2_pool_doubles_the_step_of_the_next_convolution(string pool)
    {
        // conv3 p1: size 3, start -1; pool 2 s2: size 3 + 1 = 4, jump 2; conv3 p1: 4 + 2·2 = 8, start -1 - 1·2 = -3.
        var fields = new ReceptiveFieldCalculator(ConvPoolConv(pool), 16, 16);
        Assert.Equal(new AxisReach(8, 2, -3), fields.GeometryOf("t3").Horizontal);
        Assert.Equal(new PixelRectangle(1, 3, 8, 8), fields.Of("t3", 2, 3).Unclipped);
        Assert.Equal(new ReceptiveField(new(0, 0, 5, 5), new(-3, -3, 8, 8)), fields.Of("t3", 0, 0));
    }

    [Fact]
    public void Dilation_2_spreads_a_3_tap_kernel_over_5_pixels()
    {
        var fields = new ReceptiveFieldCalculator(Dilated(), 16, 16);
        Assert.Equal(new AxisReach(5, 1, -2), fields.GeometryOf("t1").Vertical);
        Assert.Equal(new AxisReach(7, 1, -3), fields.GeometryOf("t2").Vertical);
        Assert.Equal(new PixelRectangle(2, 2, 7, 7), fields.Of("t2", 5, 5).Clipped);
    }

    [Fact]
    public void A_position_that_reads_only_padding_has_an_empty_clipped_field()
    {
        var fields = new ReceptiveFieldCalculator(OverPadded(), 8, 8);
        var corner = fields.Of("t1", 0, 0);
        Assert.Equal(new PixelRectangle(-3, -3, 3, 3), corner.Unclipped);
        Assert.True(corner.Clipped.IsEmpty);
        Assert.Equal(new PixelRectangle(1, 1, 3, 3), fields.Of("t1", 4, 4).Clipped);
    }

    [Fact]
    public void Strides_multiply()
    {
        // conv3 s2 p1: size 3, jump 2, start -1; again: 3 + 2·2 = 7, jump 4, start -1 - 1·2 = -3.
        var fields = new ReceptiveFieldCalculator(Strided(), 16, 16);
        Assert.Equal(new AxisReach(7, 4, -3), fields.GeometryOf("t2").Vertical);
        Assert.Equal(new PixelRectangle(1, 5, 7, 7), fields.Of("t2", 1, 2).Unclipped);
    }

    [Theory]
    [InlineData("SAME_UPPER", 0)]
    [InlineData("SAME_LOWER", -1)]
    public void Auto_padding_puts_the_odd_pad_where_onnx_says(string autoPad, int start)
    {
        // 16 pixels, kernel 3, stride 2: 8 outputs need (8 − 1)·2 + 3 − 16 = 1 pad pixel, at the end (UPPER) or the beginning (LOWER).
        var model = new StackModels(16).AutoPadConv(autoPad, 2).Build();
        var fields = new ReceptiveFieldCalculator(model, 16, 16);
        Assert.Equal(new AxisReach(3, 2, start), fields.GeometryOf("t1").Vertical);
        Assert.Equal(new PixelRectangle(14 + start, 14 + start, 3, 3).ClipTo(16, 16), GradientSupport(model, "t1", 0, 7, 7, 16));
    }

    [Fact]
    public void An_elementwise_sum_takes_the_union_of_its_inputs_fields()
    {
        var fields = new ReceptiveFieldCalculator(Merged(), 16, 16);
        Assert.Equal(new AxisReach(3, 1, -1), fields.GeometryOf("t3").Vertical);
        Assert.Equal(new AxisReach(5, 1, -2), fields.GeometryOf("t4").Vertical);
    }

    [Fact]
    public void Global_pooling_and_dense_layers_see_the_whole_image()
    {
        var lenet = EngineFixtures.Load("lenet");
        var fields = new ReceptiveFieldCalculator(lenet, 28, 28);
        var whole = new PixelRectangle(0, 0, 28, 28);
        Assert.True(fields.GeometryOf("logits").WholeImage);
        Assert.Equal(new ReceptiveField(whole, whole), fields.Of("logits", 0, 0));
        // LeNet: conv5 (5) → pool2 (6, jump 2) → conv5 (6 + 4·2 = 14) → pool2 (14 + 2 = 16, jump 4).
        Assert.Equal(new AxisReach(16, 4, 0), fields.GeometryOf("/MaxPool_1_output_0").Vertical);
        var model = new StackModels(8).Conv(3, pad: 1).Unary("GlobalAveragePool").Build();
        Assert.True(new ReceptiveFieldCalculator(model, 8, 8).GeometryOf("t2").WholeImage);
    }

    public static TheoryData<string, string, int, int> ProbeCases => new()
    {
        { "two-conv3", "t2", 0, 0 }, { "two-conv3", "t2", 8, 8 }, { "two-conv3", "t2", 15, 3 },
        { "conv-avgpool-conv", "t3", 0, 0 }, { "conv-avgpool-conv", "t3", 2, 3 }, { "conv-avgpool-conv", "t3", 7, 7 },
        { "dilated", "t1", 0, 0 }, { "dilated", "t2", 5, 5 }, { "dilated", "t2", 15, 0 },
        { "over-padded", "t1", 0, 0 }, { "over-padded", "t1", 4, 4 }, { "over-padded", "t1", 11, 9 },
        { "strided", "t2", 1, 2 }, { "strided", "t2", 3, 3 },
        { "merged", "t3", 0, 5 }, { "merged", "t4", 9, 15 },
    };

    [Theory]
    [MemberData(nameof(ProbeCases))]
    public void Clipped_field_equals_the_support_of_the_gradient(string stack, string layer, int y, int x)
    {
        var model = stack switch
        {
            "two-conv3" => TwoConv3(),
            "conv-avgpool-conv" => ConvPoolConv("AveragePool"),
            "dilated" => Dilated(),
            "over-padded" => OverPadded(),
            "strided" => Strided(),
            _ => Merged(),
        };
        int size = model.InputShape![2].Value is long s ? (int)s : 0;
        var field = new ReceptiveFieldCalculator(model, size, size).Of(layer, y, x);
        Assert.Equal(field.Clipped, GradientSupport(model, layer, 0, y, x, size));
    }

    [Fact]
    public void A_residual_block_merges_the_strided_path_and_the_downsampling_shortcut()
    {
        // ResNet-18 on 64x64: conv7 s2 p3 (7, 2, -3); maxpool3 s2 p1 (11, 4, -5); layer1: two blocks of
        // two conv3 p1 (+8 each) with identity shortcuts: (43, 4, -21); layer2.0: conv3 s2 p1 (51, 8, -25),
        // conv3 p1 (67, 8, -33), shortcut 1x1 s2 (43, 8, -21): the union is (67, 8, -33).
        var fields = new ReceptiveFieldCalculator(EngineFixtures.Load("resnet18"), 64, 64);
        Assert.Equal(new AxisReach(43, 4, -21), fields.GeometryOf("/layer1/layer1.1/Add_output_0").Vertical);
        Assert.Equal(new AxisReach(67, 8, -33), fields.GeometryOf("/layer2/layer2.0/Add_output_0").Horizontal);
    }

    [Theory]
    [InlineData("squeezenet1_1", "/features/features.3/Concat_output_0", 4, 5)]
    [InlineData("squeezenet1_1", "/features/features.6/Concat_output_0", 0, 0)]
    [InlineData("resnet18", "/layer1/layer1.1/Add_output_0", 3, 12)]
    [InlineData("resnet18", "/layer2/layer2.0/Add_output_0", 7, 1)]
    public void Fields_of_real_models_contain_the_support_of_the_gradient(string fixture, string layer, int y, int x)
    {
        // Real weights (ReLUs can switch paths off): the support must lie inside the computed field.
        var model = EngineFixtures.Load(fixture);
        var input = EngineFixtures.Read(fixture, "input_b1");
        var field = ReceptiveFieldCalculator.For(model, input).Of(layer, y, x).Clipped;
        // The channel most active there, so the ReLUs on its path let a gradient through.
        var activation = model.Forward(input, [layer])[layer];
        int channel = Enumerable.Range(0, activation.Dim(1)).MaxBy(c => activation[0, c, y, x]);
        Assert.True(activation[0, channel, y, x] > 0);
        var (gradient, _, _) = Gradients.OfNeuron(model, input, new NeuronTarget(layer, channel, y, x));
        var support = Support(gradient, input.Dim(2), input.Dim(3));
        Assert.False(support.IsEmpty);
        Assert.True(support.Top >= field.Top && support.Left >= field.Left && support.Bottom <= field.Bottom && support.Right <= field.Right,
            $"{layer} ({y},{x}): support {support} outside field {field}");
    }

    /// <summary>Bounding box of the input pixels with a non-zero gradient of tensor[0, channel, y, x] (input of ones).</summary>
    internal static PixelRectangle GradientSupport(Model model, string layer, int channel, int y, int x, int size)
    {
        var input = Tensor.Filled([1, 1, size, size], 1f);
        var (gradient, _, _) = Gradients.OfNeuron(model, input, new NeuronTarget(layer, channel, y, x));
        return Support(gradient, size, size);
    }

    private static PixelRectangle Support(Tensor gradient, int height, int width)
    {
        int top = int.MaxValue, left = int.MaxValue, bottom = -1, right = -1;
        int channels = gradient.Dim(1);
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                    if (gradient[0, c, i, j] != 0)
                    {
                        top = Math.Min(top, i); left = Math.Min(left, j);
                        bottom = Math.Max(bottom, i); right = Math.Max(right, j);
                    }
        return bottom < 0 ? new PixelRectangle(0, 0, 0, 0) : new PixelRectangle(top, left, bottom - top + 1, right - left + 1);
    }
}
