using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

public class ConvTransposeOperatorTests
{
    /// <summary>Independent reference: every input value scattered through the kernel onto the (cropped) output.</summary>
    private static double[] NaiveTransposed(Tensor x, Tensor w, Tensor? b, int group, int stride, int dilation,
        int padBegin, int padEnd, int outputPadding, out int outH, out int outW)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3);
        int mg = w.Dim(1), kh = w.Dim(2), kw = w.Dim(3), cg = c / group, m = mg * group;
        outH = stride * (h - 1) + outputPadding + (kh - 1) * dilation + 1 - padBegin - padEnd;
        outW = stride * (wd - 1) + outputPadding + (kw - 1) * dilation + 1 - padBegin - padEnd;
        var y = new double[n * m * outH * outW];
        for (int ni = 0; ni < n; ni++)
            for (int ci = 0; ci < c; ci++)
            {
                int g = ci / cg;
                for (int yi = 0; yi < h; yi++)
                    for (int xi = 0; xi < wd; xi++)
                        for (int mi = 0; mi < mg; mi++)
                            for (int a = 0; a < kh; a++)
                                for (int e = 0; e < kw; e++)
                                {
                                    int oy = yi * stride + a * dilation - padBegin, ox = xi * stride + e * dilation - padBegin;
                                    if (oy < 0 || oy >= outH || ox < 0 || ox >= outW) continue;
                                    y[((ni * m + g * mg + mi) * outH + oy) * outW + ox] += (double)x[ni, ci, yi, xi] * w[ci, mi, a, e];
                                }
            }
        if (b is not null)
            for (int i = 0; i < y.Length; i++) y[i] += b.Data[i / (outH * outW) % m];
        return y;
    }

    private static ConvTransposeOperator ConvTranspose(params (string, object)[] attributes) => new(TestTensors.Attributes(attributes), 13);

    [Fact]
    public void StrideTwoTilesTheKernelByHand()
    {
        var x = Tensor.FromValues([1, 1, 2, 2], 1, 2, 3, 4);
        var w = Tensor.Filled([1, 1, 2, 2], 1f);
        var y = ConvTranspose(("strides", new long[] { 2, 2 })).Forward([x, w])[0];
        Assert.Equal(new[] { 1, 1, 4, 4 }, y.ShapeArray);
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, y.Data);
    }

    [Fact]
    public void OverlappingWindowsSumAndBiasIsAdded()
    {
        var x = Tensor.FromValues([1, 1, 1, 2], 1, 2);
        var w = Tensor.FromValues([1, 2, 1, 3], 1, 1, 1, 1, 2, 3);
        var b = Tensor.FromValues([2], 0, 10);
        var y = ConvTranspose().Forward([x, w, b])[0];
        Assert.Equal(new[] { 1, 2, 1, 4 }, y.ShapeArray);
        // Channel 0: [1,1,1] at 0 plus [2,2,2] at 1; channel 1: [1,2,3] at 0 plus [2,4,6] at 1, plus 10.
        Assert.Equal(new float[] { 1, 3, 3, 2, 11, 14, 17, 16 }, y.Data);
    }

    [Theory]
    // batch, channels, h, w, outPerGroup, k, group, stride, dilation, padBegin, padEnd, outputPadding
    [InlineData(1, 3, 4, 5, 2, 3, 1, 2, 1, 1, 1, 1)]
    [InlineData(2, 4, 3, 3, 3, 2, 2, 2, 1, 0, 0, 0)]
    [InlineData(1, 2, 5, 4, 2, 3, 1, 1, 2, 2, 1, 0)]
    [InlineData(1, 4, 4, 4, 1, 4, 4, 2, 1, 1, 1, 0)]
    public void MatchesNaiveScatter(int n, int c, int h, int w, int mg, int k, int group, int stride, int dilation, int padBegin, int padEnd, int outputPadding)
    {
        var random = new Random(c + h * 5 + k * 17 + stride);
        var x = TestTensors.Random(random, n, c, h, w);
        var weights = TestTensors.Random(random, c, mg, k, k);
        var bias = TestTensors.Random(random, mg * group);
        var expected = NaiveTransposed(x, weights, bias, group, stride, dilation, padBegin, padEnd, outputPadding, out int oh, out int ow);
        var op = ConvTranspose(("group", (long)group), ("strides", new long[] { stride, stride }), ("dilations", new long[] { dilation, dilation }),
            ("pads", new long[] { padBegin, padBegin, padEnd, padEnd }), ("output_padding", new long[] { outputPadding, outputPadding }));
        var y = op.Forward([x, weights, bias])[0];
        Assert.Equal(new[] { n, mg * group, oh, ow }, y.ShapeArray);
        TestTensors.AssertClose(expected, y.Data, 1e-4);
    }

    [Fact]
    public void OutputShapeAttributeChoosesThePads()
    {
        var random = new Random(4);
        var x = TestTensors.Random(random, 1, 2, 3, 3);
        var w = TestTensors.Random(random, 2, 1, 3, 3);
        // Natural size 2*(3-1)+3 = 7; asking for 6 means one pad in total, at the end (SAME_UPPER-style split).
        var y = ConvTranspose(("strides", new long[] { 2, 2 }), ("output_shape", new long[] { 6, 6 })).Forward([x, w])[0];
        Assert.Equal(new[] { 1, 1, 6, 6 }, y.ShapeArray);
        var expected = NaiveTransposed(x, w, null, 1, 2, 1, 0, 1, 0, out _, out _);
        TestTensors.AssertClose(expected, y.Data, 1e-4);
    }

    [Fact]
    public void ChannelMismatchIsAShapeError()
    {
        var random = new Random(5);
        Assert.Throws<ShapeMismatchException>(() =>
            ConvTranspose().Forward([TestTensors.Random(random, 1, 3, 4, 4), TestTensors.Random(random, 2, 1, 3, 3)]));
    }

    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(2, 1, 0)]
    public void BackwardMatchesFiniteDifferences(int group, int stride, int outputPadding)
    {
        var random = new Random(group * 3 + stride);
        var x = TestTensors.Random(random, 2, 2 * group, 3, 4);
        var w = TestTensors.Random(random, 2 * group, 2, 3, 3);
        var b = TestTensors.Random(random, 2 * group);
        var op = ConvTranspose(("group", (long)group), ("strides", new long[] { stride, stride }), ("pads", new long[] { 1, 0, 1, 1 }),
            ("output_padding", new long[] { outputPadding, outputPadding }));
        GradientCheck.Check(op, [x, w, b], [0, 1, 2]);
    }
}
