using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

public class ConvOperatorTests
{
    /// <summary>Independent reference: direct summation over every tap, in double.</summary>
    internal static (double[] Values, int OutH, int OutW) NaiveConvolution(Tensor x, Tensor w, Tensor? b, int group,
        int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft, int padBottom, int padRight)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3);
        int m = w.Dim(0), cg = w.Dim(1), kh = w.Dim(2), kw = w.Dim(3), mg = m / group;
        int oh = (h + padTop + padBottom - (dilationH * (kh - 1) + 1)) / strideH + 1;
        int ow = (wd + padLeft + padRight - (dilationW * (kw - 1) + 1)) / strideW + 1;
        var y = new double[n * m * oh * ow];
        for (int ni = 0; ni < n; ni++)
            for (int mi = 0; mi < m; mi++)
            {
                int g = mi / mg;
                for (int yi = 0; yi < oh; yi++)
                    for (int xi = 0; xi < ow; xi++)
                    {
                        double sum = b is null ? 0 : b.Data[mi];
                        for (int ci = 0; ci < cg; ci++)
                            for (int a = 0; a < kh; a++)
                                for (int e = 0; e < kw; e++)
                                {
                                    int ih = yi * strideH - padTop + a * dilationH, iw = xi * strideW - padLeft + e * dilationW;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    sum += (double)x[ni, g * cg + ci, ih, iw] * w[mi, ci, a, e];
                                }
                        y[((ni * m + mi) * oh + yi) * ow + xi] = sum;
                    }
            }
        return (y, oh, ow);
    }

    private static ConvOperator Conv(params (string, object)[] attributes) => new(TestTensors.Attributes(attributes), 13);

    [Fact]
    public void TwoByTwoKernelOnThreeByThreeByHand()
    {
        var x = Tensor.FromValues([1, 1, 3, 3], 1, 2, 3, 4, 5, 6, 7, 8, 9);
        var w = Tensor.FromValues([1, 1, 2, 2], 1, 0, 0, -1);
        var b = Tensor.FromValues([1], 10);
        var y = Conv().Forward([x, w, b])[0];
        // Each output = top-left - bottom-right + 10 = -4 + 10.
        Assert.Equal(new[] { 1, 1, 2, 2 }, y.ShapeArray);
        Assert.Equal(new float[] { 6, 6, 6, 6 }, y.Data);
    }

    [Fact]
    public void ZeroPaddingAndStrideByHand()
    {
        var x = Tensor.FromValues([1, 1, 2, 2], 1, 2, 3, 4);
        var w = Tensor.Filled([1, 1, 3, 3], 1f);
        var y = Conv(("pads", new long[] { 1, 1, 1, 1 }), ("strides", new long[] { 2, 2 })).Forward([x, w])[0];
        // One window at (0,0) centred on the top-left pixel sees all four values.
        Assert.Equal(new[] { 1, 1, 1, 1 }, y.ShapeArray);
        Assert.Equal(10f, y.Data[0]);
    }

    [Fact]
    public void OneDimensionalConvolutionByHand()
    {
        var x = Tensor.FromValues([1, 1, 5], 1, 2, 3, 4, 5);
        var w = Tensor.FromValues([1, 1, 2], 1, 1);
        var y = Conv(("dilations", new long[] { 2 })).Forward([x, w])[0];
        Assert.Equal(new[] { 1, 1, 3 }, y.ShapeArray);
        Assert.Equal(new float[] { 4, 6, 8 }, y.Data);
    }

    [Fact]
    public void AutoPadSameUpperAndLowerPutTheOddPadAtOppositeEnds()
    {
        var x = Tensor.FromValues([1, 1, 1, 4], 1, 2, 3, 4);
        var w = Tensor.FromValues([1, 1, 1, 2], 1, 10);
        // Kernel 2, stride 1: one pad; SAME_UPPER pads the end, SAME_LOWER the beginning.
        var upper = Conv(("auto_pad", "SAME_UPPER")).Forward([x, w])[0];
        Assert.Equal(new float[] { 21, 32, 43, 4 }, upper.Data);
        var lower = Conv(("auto_pad", "SAME_LOWER")).Forward([x, w])[0];
        Assert.Equal(new float[] { 10, 21, 32, 43 }, lower.Data);
        var valid = Conv(("auto_pad", "VALID")).Forward([x, w])[0];
        Assert.Equal(new float[] { 21, 32, 43 }, valid.Data);
    }

    [Theory]
    // batch, channels, h, w, filters, kh, kw, group, strideH, strideW, dilH, dilW, padT, padL, padB, padR
    [InlineData(1, 3, 9, 11, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(2, 4, 8, 7, 6, 3, 2, 2, 2, 1, 1, 2, 0, 1, 2, 0)]
    [InlineData(1, 6, 10, 10, 6, 3, 3, 6, 1, 1, 1, 1, 1, 1, 1, 1)]   // depthwise
    [InlineData(2, 6, 9, 8, 6, 3, 3, 6, 2, 2, 2, 1, 2, 1, 0, 2)]     // depthwise, strided, dilated, asymmetric
    [InlineData(1, 6, 7, 7, 12, 3, 3, 6, 1, 1, 1, 1, 1, 1, 1, 1)]    // channel multiplier 2 (not the depthwise path)
    [InlineData(2, 8, 6, 5, 10, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0)]    // pointwise
    [InlineData(1, 8, 6, 6, 4, 1, 1, 2, 2, 2, 1, 1, 0, 0, 0, 0)]     // 1x1 stride 2
    [InlineData(1, 3, 23, 21, 7, 7, 7, 1, 2, 2, 1, 1, 3, 3, 3, 3)]   // stem-like
    [InlineData(1, 70, 9, 9, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)]   // K > one depth block
    [InlineData(1, 64, 40, 30, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)]  // patch matrix > one tile: tiled im2col
    [InlineData(2, 128, 41, 30, 8, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1)] // tiled over batch, groups and a short last tile
    [InlineData(1, 3, 20, 70, 4, 7, 7, 1, 2, 2, 1, 1, 3, 3, 3, 3)]   // stem-like, rows wider than one stride-2 vector
    public void MatchesNaiveLoops(int n, int c, int h, int w, int m, int kh, int kw, int group,
        int sh, int sw, int dh, int dw, int pt, int pl, int pb, int pr)
    {
        var random = new Random(n + c * 3 + h * 7 + m * 11 + group);
        var x = TestTensors.Random(random, n, c, h, w);
        var weights = TestTensors.Random(random, m, c / group, kh, kw);
        var bias = TestTensors.Random(random, m);
        var op = Conv(("group", (long)group), ("strides", new long[] { sh, sw }), ("dilations", new long[] { dh, dw }),
            ("pads", new long[] { pt, pl, pb, pr }));
        var (expected, oh, ow) = NaiveConvolution(x, weights, bias, group, sh, sw, dh, dw, pt, pl, pb, pr);
        var y = op.Forward([x, weights, bias])[0];
        Assert.Equal(new[] { n, m, oh, ow }, y.ShapeArray);
        TestTensors.AssertClose(expected, y.Data, 1e-4);
        // A second call reuses the packed weights and must give the same numbers.
        Assert.Equal(y.Data, op.Forward([x, weights, bias])[0].Data);
    }

    [Fact]
    public void KernelShapeAttributeMustMatchWeights()
    {
        var random = new Random(1);
        var op = Conv(("kernel_shape", new long[] { 3, 3 }));
        Assert.Throws<ShapeMismatchException>(() => op.Forward([TestTensors.Random(random, 1, 2, 5, 5), TestTensors.Random(random, 2, 2, 2, 2)]));
    }

    [Fact]
    public void ChannelMismatchIsAShapeError()
    {
        var random = new Random(2);
        var error = Assert.Throws<ShapeMismatchException>(() =>
            Conv().Forward([TestTensors.Random(random, 1, 3, 5, 5), TestTensors.Random(random, 4, 2, 3, 3)]));
        Assert.Contains("channels", error.Message);
    }

    [Fact]
    public void KernelLargerThanPaddedInputIsAShapeError()
    {
        var random = new Random(3);
        Assert.Throws<ShapeMismatchException>(() =>
            Conv().Forward([TestTensors.Random(random, 1, 1, 2, 2), TestTensors.Random(random, 1, 1, 3, 3)]));
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 0)]   // general im2col path, padded
    [InlineData(2, 2, 2, 1, 1)]   // grouped, strided, dilated
    [InlineData(4, 1, 1, 4, 1)]   // depthwise
    [InlineData(1, 1, 1, 1, 2)]   // pointwise
    public void BackwardMatchesFiniteDifferences(int group, int stride, int dilation, int depthwiseChannels, int variant)
    {
        var random = new Random(group * 10 + stride + variant);
        int c = depthwiseChannels > 1 ? depthwiseChannels : 2 * group, m = depthwiseChannels > 1 ? depthwiseChannels : 2 * group;
        int k = variant == 2 ? 1 : 3;
        var x = TestTensors.Random(random, 2, c, 6, 5);
        var w = TestTensors.Random(random, m, c / group, k, k);
        var b = TestTensors.Random(random, m);
        long pad = variant == 2 ? 0 : 1;
        var op = Conv(("group", (long)group), ("strides", new long[] { stride, stride }), ("dilations", new long[] { dilation, dilation }),
            ("pads", new long[] { pad, pad, variant == 1 ? 0 : pad, pad }));
        GradientCheck.Check(op, [x, w, b], [0, 1, 2]);
    }

    /// <summary>
    /// The data gradient is the adjoint of the forward: &lt;conv(x), dy&gt; = &lt;x, dX(dy)&gt;, with the left side from
    /// the naive double-precision loops. Stride 2 on rows wide enough for the vector fold, and stride 1.
    /// </summary>
    [Theory]
    [InlineData(7, 2, 3)] // stem-like
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 1)]
    public void DataGradientIsTheAdjointOfTheForward(int kernel, int stride, int pad)
    {
        var random = new Random(kernel * 10 + stride);
        var x = TestTensors.Random(random, 2, 3, 19, 75);
        var w = TestTensors.Random(random, 5, 3, kernel, kernel);
        var op = Conv(("strides", new long[] { stride, stride }), ("pads", new long[] { pad, pad, pad, pad }));
        var (forward, oh, ow) = NaiveConvolution(x, w, null, 1, stride, stride, 1, 1, pad, pad, pad, pad);
        var dy = TestTensors.Random(random, 2, 5, oh, ow);
        var y = op.Forward([x, w]);
        var dx = op.Backward([x, w], y, [dy], [true, false])[0]!;
        double left = 0, right = 0, scale = 0;
        for (int i = 0; i < forward.Length; i++) { left += forward[i] * dy.Data[i]; scale += Math.Abs(forward[i] * dy.Data[i]); }
        for (int i = 0; i < x.Length; i++) right += (double)x.Data[i] * dx.Data[i];
        Assert.True(Math.Abs(left - right) <= 1e-5 * scale, $"<conv(x), dy> = {left}, <x, dX(dy)> = {right}");
    }

    [Fact]
    public void BackwardWithoutBiasReturnsTwoGradients()
    {
        var random = new Random(9);
        var x = TestTensors.Random(random, 1, 2, 4, 4);
        var w = TestTensors.Random(random, 3, 2, 3, 3);
        var op = Conv(("pads", new long[] { 1, 1, 1, 1 }));
        var y = op.Forward([x, w]);
        var grads = op.Backward([x, w], y, [Tensor.Filled(y[0].ShapeArray, 1f)]);
        Assert.Equal(2, grads.Length);
        // d(sum Y)/dB would be 16 per channel; d(sum Y)/dW[m,c,1,1] (centre tap) = sum of x[c].
        for (int ci = 0; ci < 2; ci++)
        {
            double sum = 0;
            for (int i = 0; i < 16; i++) sum += x.Data[ci * 16 + i];
            Assert.Equal(sum, grads[1]![0, ci, 1, 1], 4);
        }
    }
}
