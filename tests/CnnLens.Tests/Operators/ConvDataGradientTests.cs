using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

/// <summary>
/// The convolution data gradient (what every saliency pass runs) on layers large enough for the
/// tiled path with transposed weights, against the adjoint of the convolution summed directly in double.
/// </summary>
public class ConvDataGradientTests
{
    /// <summary>dX[n, c, ih, iw] = sum of dY[n, m, oh, ow] * W[m, c', kh, kw] over every tap that read X[n, c, ih, iw].</summary>
    internal static double[] NaiveDataGradient(Tensor x, Tensor w, Tensor dy, int group, int stride, int dilation, int pad)
    {
        int n = x.Dim(0), h = x.Dim(2), wd = x.Dim(3);
        int m = w.Dim(0), cg = w.Dim(1), kh = w.Dim(2), kw = w.Dim(3), mg = m / group;
        int oh = dy.Dim(2), ow = dy.Dim(3);
        var dx = new double[x.Length];
        for (int ni = 0; ni < n; ni++)
            for (int mi = 0; mi < m; mi++)
                for (int yi = 0; yi < oh; yi++)
                    for (int xi = 0; xi < ow; xi++)
                    {
                        double g = dy[ni, mi, yi, xi];
                        for (int ci = 0; ci < cg; ci++)
                            for (int a = 0; a < kh; a++)
                                for (int e = 0; e < kw; e++)
                                {
                                    int ih = yi * stride - pad + a * dilation, iw = xi * stride - pad + e * dilation;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    dx[((ni * x.Dim(1) + mi / mg * cg + ci) * h + ih) * wd + iw] += g * w[mi, ci, a, e];
                                }
                    }
        return dx;
    }

    [Theory]
    // batch, channels, h, w, filters, kernel, group, stride, dilation, pad
    [InlineData(1, 64, 40, 30, 8, 3, 1, 1, 1, 1)]   // two row tiles, one per phase: each product on all threads
    [InlineData(2, 128, 41, 30, 8, 3, 2, 1, 1, 1)]  // tiles over batch and groups shared among threads, short last tile
    [InlineData(1, 64, 90, 70, 6, 3, 1, 2, 2, 2)]   // strided and dilated: tiles two apart must not share input rows
    [InlineData(1, 64, 150, 20, 4, 3, 1, 1, 1, 1)]  // four row tiles: two per phase, shared among threads
    [InlineData(1, 8, 12, 12, 8, 3, 1, 1, 1, 1)]    // small: one tile, the untiled path with transposed weights
    public void Tiled_data_gradient_matches_the_direct_adjoint(int n, int c, int h, int w, int m, int k, int group, int stride, int dilation, int pad)
    {
        var random = new Random(n + c + h * 3 + w * 5 + stride * 7 + dilation * 11);
        var x = TestTensors.Random(random, n, c, h, w);
        var weights = TestTensors.Random(random, m, c / group, k, k);
        var op = new ConvOperator(TestTensors.Attributes(("group", (long)group), ("strides", new long[] { stride, stride }),
            ("dilations", new long[] { dilation, dilation }), ("pads", new long[] { pad, pad, pad, pad })), 13);
        var y = op.Forward([x, weights]);
        var dy = TestTensors.Random(random, y[0].ShapeArray);
        var expected = NaiveDataGradient(x, weights, dy, group, stride, dilation, pad);
        for (int repeat = 0; repeat < 2; repeat++) // the second call reuses the cached transposed weights
        {
            var dx = op.Backward([x, weights], y, [dy], [true, false])[0]!;
            TestTensors.AssertClose(expected, dx.Data, 1e-4);
        }
    }
}
