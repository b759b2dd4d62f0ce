using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Tests.Kernels;

public class WinogradConvolutionTests
{
    private static ConvolutionGeometry Geometry(int batch, int channels, int filters, int height, int width,
        int padTop = 1, int padLeft = 1, int padBottom = 1, int padRight = 1) => new()
        {
            Batch = batch, InChannels = channels, InHeight = height, InWidth = width, OutChannels = filters,
            KernelHeight = 3, KernelWidth = 3, PadTop = padTop, PadLeft = padLeft, PadBottom = padBottom, PadRight = padRight,
        };

    /// <summary>Independent reference: the direct 3x3 cross-correlation sum in double.</summary>
    private static double[] DirectForward(ConvolutionGeometry g, float[] x, float[] w, float[]? b)
    {
        var y = new double[g.Batch * g.OutChannels * g.OutSpatial];
        for (int n = 0; n < g.Batch; n++)
            for (int k = 0; k < g.OutChannels; k++)
                for (int i = 0; i < g.OutHeight; i++)
                    for (int j = 0; j < g.OutWidth; j++)
                    {
                        double sum = b?[k] ?? 0;
                        for (int c = 0; c < g.InChannels; c++)
                            for (int a = 0; a < 3; a++)
                                for (int e = 0; e < 3; e++)
                                {
                                    int r = i - g.PadTop + a, s = j - g.PadLeft + e;
                                    if (r < 0 || r >= g.InHeight || s < 0 || s >= g.InWidth) continue;
                                    sum += (double)x[((n * g.InChannels + c) * g.InHeight + r) * g.InWidth + s] * w[((k * g.InChannels + c) * 3 + a) * 3 + e];
                                }
                        y[((n * g.OutChannels + k) * g.OutHeight + i) * g.OutWidth + j] = sum;
                    }
        return y;
    }

    /// <summary>Independent reference: d(input) as the transpose of <see cref="DirectForward"/>, scattering each output gradient.</summary>
    private static double[] DirectDataGradient(ConvolutionGeometry g, float[] dy, float[] w)
    {
        var dx = new double[g.Batch * g.InChannels * g.InSpatial];
        for (int n = 0; n < g.Batch; n++)
            for (int k = 0; k < g.OutChannels; k++)
                for (int i = 0; i < g.OutHeight; i++)
                    for (int j = 0; j < g.OutWidth; j++)
                    {
                        double grad = dy[((n * g.OutChannels + k) * g.OutHeight + i) * g.OutWidth + j];
                        for (int c = 0; c < g.InChannels; c++)
                            for (int a = 0; a < 3; a++)
                                for (int e = 0; e < 3; e++)
                                {
                                    int r = i - g.PadTop + a, s = j - g.PadLeft + e;
                                    if (r < 0 || r >= g.InHeight || s < 0 || s >= g.InWidth) continue;
                                    dx[((n * g.InChannels + c) * g.InHeight + r) * g.InWidth + s] += grad * w[((k * g.InChannels + c) * 3 + a) * 3 + e];
                                }
                    }
        return dx;
    }

    private static float[] RandomValues(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>Max |expected - actual| within 1e-5 of the largest |expected| (a few float roundings).</summary>
    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= 1e-5 * scale, $"max error {worst:E3} against largest value {scale:E3}");
    }

    [Fact]
    public void AllOnesKernelOnAFourByFourRampByHand()
    {
        // One tile: each output is the sum of a 3x3 window of 1..16.
        var g = Geometry(1, 1, 1, 4, 4, 0, 0, 0, 0);
        var x = Enumerable.Range(1, 16).Select(v => (float)v).ToArray();
        var w = Enumerable.Repeat(1f, 9).ToArray();
        var y = new float[4];
        WinogradConvolution.Forward(g, x, WinogradConvolution.TransformWeights(g, w), [0.5f], y);
        Assert.Equal(new[] { 54.5f, 63.5f, 90.5f, 99.5f }, y);
    }

    public static TheoryData<int, int, int, int, int, int, int, int, int> Shapes => new()
    {
        // batch, channels, filters, height, width, pads (top, left, bottom, right)
        { 1, 16, 16, 12, 12, 1, 1, 1, 1 },
        { 3, 5, 7, 9, 11, 0, 2, 1, 0 },  // odd output sizes: the last tile row and column are half used
        { 2, 17, 16, 13, 6, 2, 0, 2, 1 },
        { 1, 3, 2, 3, 3, 1, 1, 1, 1 },   // a single tile
        { 2, 33, 20, 7, 7, 1, 1, 1, 1 },
        { 1, 8, 4, 40, 37, 1, 1, 1, 1 }, // rows longer than one vector
        { 1, 24, 24, 30, 45, 1, 1, 1, 1 }, // two chunks of tiles, split inside a tile row
        { 3, 20, 40, 17, 17, 1, 1, 1, 1 }, // several chunks per image, batch > 1
        { 6, 16, 16, 5, 5, 1, 1, 1, 1 },   // one chunk spanning six images of nine tiles
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardEqualsTheDirectSum(int batch, int channels, int filters, int height, int width, int top, int left, int bottom, int right)
    {
        var g = Geometry(batch, channels, filters, height, width, top, left, bottom, right);
        var random = new Random(batch * 1000 + channels * 10 + height);
        var x = RandomValues(random, batch * channels * height * width);
        var w = RandomValues(random, filters * channels * 9);
        var b = RandomValues(random, filters);
        var y = new float[batch * filters * g.OutSpatial];
        WinogradConvolution.Forward(g, x, WinogradConvolution.TransformWeights(g, w), b, y);
        AssertClose(DirectForward(g, x, w, b), y);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DataGradientEqualsTheTransposedDirectSum(int batch, int channels, int filters, int height, int width, int top, int left, int bottom, int right)
    {
        var g = Geometry(batch, channels, filters, height, width, top, left, bottom, right);
        var random = new Random(batch * 1000 + channels * 10 + height + 7);
        var w = RandomValues(random, filters * channels * 9);
        var dy = RandomValues(random, batch * filters * g.OutSpatial);
        var dx = new float[batch * channels * g.InSpatial];
        var gradientGeometry = WinogradConvolution.DataGradientGeometry(g);
        Assert.Equal((g.InHeight, g.InWidth, g.InChannels), (gradientGeometry.OutHeight, gradientGeometry.OutWidth, gradientGeometry.OutChannels));
        WinogradConvolution.Forward(gradientGeometry, dy, WinogradConvolution.TransformWeightsForDataGradient(g, w), default, dx);
        AssertClose(DirectDataGradient(g, dy, w), dx);
    }

    [Fact]
    public void AnEmptyBatchIsNotAnError()
    {
        var g = Geometry(0, 16, 16, 8, 8);
        WinogradConvolution.Forward(g, [], WinogradConvolution.TransformWeights(g, new float[16 * 16 * 9]), default, []);
    }

    [Fact]
    public void ResultsAreBitIdenticalOnOneAndTwoThreads()
    {
        var g = Geometry(2, 24, 32, 15, 14);
        var random = new Random(5);
        var x = RandomValues(random, 2 * 24 * 15 * 14);
        var u = WinogradConvolution.TransformWeights(g, RandomValues(random, 32 * 24 * 9));
        int saved = Parallelism.MaxThreads;
        try
        {
            var outputs = new[] { 1, 2 }.Select(threads =>
            {
                Parallelism.MaxThreads = threads;
                var y = new float[2 * 32 * g.OutSpatial];
                WinogradConvolution.Forward(g, x, u, default, y);
                return y;
            }).ToArray();
            Assert.Equal(outputs[0], outputs[1]);
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void AppliesOnlyWhereItIsExactAndPays()
    {
        Assert.True(WinogradConvolution.Applies(Geometry(1, 64, 64, 56, 56)));
        Assert.True(WinogradConvolution.Applies(Geometry(2, 512, 512, 7, 7)));
        Assert.False(WinogradConvolution.Applies(Geometry(1, 512, 512, 7, 7)));   // 16 tiles: too few for the GEMMs
        Assert.False(WinogradConvolution.Applies(Geometry(1, 3, 64, 56, 56)));    // too few channels
        Assert.False(WinogradConvolution.Applies(Geometry(1, 64, 64, 56, 56) with { StrideHeight = 2, StrideWidth = 2 }));
        Assert.False(WinogradConvolution.Applies(Geometry(1, 64, 64, 56, 56) with { DilationHeight = 2 }));
        Assert.False(WinogradConvolution.Applies(Geometry(1, 64, 64, 56, 56) with { Groups = 2 }));
        Assert.False(WinogradConvolution.Applies(Geometry(1, 64, 64, 56, 56, 3, 3, 3, 3)));
        Assert.Throws<ShapeMismatchException>(() => WinogradConvolution.TransformWeights(Geometry(1, 4, 4, 8, 8) with { StrideWidth = 2 }, new float[144]));
    }

    [Fact]
    public void ConvOperatorTakesTheWinogradPathWithTheSameForwardAndInputGradient()
    {
        // 16 channels, 12x12 output: 36 tiles, so the operator runs F(2x2,3x3) both ways.
        var g = Geometry(1, 16, 16, 12, 12);
        Assert.True(WinogradConvolution.Applies(g) && WinogradConvolution.Applies(WinogradConvolution.DataGradientGeometry(g)));
        var random = new Random(9);
        var x = TestTensors.Random(random, 1, 16, 12, 12);
        var w = TestTensors.Random(random, 16, 16, 3, 3);
        var b = TestTensors.Random(random, 16);
        var conv = new ConvOperator(TestTensors.Attributes(("pads", new long[] { 1, 1, 1, 1 })), 13);
        var y = conv.Forward([x, w, b])[0];
        AssertClose(DirectForward(g, x.Data, w.Data, b.Data), y.Data);
        var dy = TestTensors.Random(random, 1, 16, 12, 12);
        var dx = conv.Backward([x, w, b], [y], [dy], [true, false, false])[0]!;
        AssertClose(DirectDataGradient(g, dy.Data, w.Data), dx.Data);
    }
}
