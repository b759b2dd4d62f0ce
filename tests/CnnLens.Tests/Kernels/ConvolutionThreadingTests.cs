using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;
using CnnLens.Tests.Operators;

namespace CnnLens.Tests.Kernels;

/// <summary>
/// How the convolution shares its work among threads (row tiles raised to a multiple of the thread
/// count, the data gradient split over input channels or over even/odd row tiles): each split against
/// the direct sums in double, and one thread against two.
/// </summary>
public class ConvolutionThreadingTests
{
    private static ConvolutionGeometry Geometry(int n, int c, int h, int w, int m, int k, int group, int stride, int pad) => new()
    {
        Batch = n, InChannels = c, InHeight = h, InWidth = w, OutChannels = m, KernelHeight = k, KernelWidth = k,
        StrideHeight = stride, StrideWidth = stride, PadTop = pad, PadLeft = pad, PadBottom = pad, PadRight = pad, Groups = group,
    };

    /// <summary>Runs <paramref name="action"/> on one thread, then on two.</summary>
    private static (T One, T Two) OnOneAndTwoThreads<T>(Func<T> action)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = action();
            Parallelism.MaxThreads = 2;
            return (one, action());
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Theory]
    // batch, channels, h, w, filters, kernel, group, stride, pad
    [InlineData(1, 64, 75, 30, 8, 3, 1, 1, 1)]   // 3 cache-budget tiles raised to 4 on two threads: 18/19-row tiles
    [InlineData(3, 8, 12, 12, 8, 3, 1, 1, 1)]    // small patch matrix, 3 images: 2 tiles each so 6 tiles share evenly
    [InlineData(2, 16, 9, 9, 8, 3, 2, 1, 1)]     // batch x groups = 4 whole-image tiles
    [InlineData(1, 16, 14, 14, 64, 3, 1, 1, 1)]  // one small image: untiled, GEMM split over rows (7 column panels)
    [InlineData(1, 3, 40, 38, 8, 7, 1, 2, 3)]    // stem-like 7x7 stride 2
    [InlineData(1, 24, 33, 31, 16, 3, 1, 2, 1)]  // 3x3 stride 2, odd width
    [InlineData(1, 8, 9, 101, 8, 3, 1, 2, 1)]    // stride 2, 51 output columns: SIMD gathers and a remainder
    public void Forward_matches_the_direct_sum_and_one_thread_gives_the_same_bits(int n, int c, int h, int w, int m, int k, int group, int stride, int pad)
    {
        var g = Geometry(n, c, h, w, m, k, group, stride, pad);
        var random = new Random(c + h * 3 + w * 5 + n * 7);
        var x = TestTensors.Random(random, n, c, h, w);
        var weights = TestTensors.Random(random, m, c / group, k, k);
        var bias = TestTensors.Random(random, m);
        var (one, two) = OnOneAndTwoThreads(() =>
        {
            var y = new float[n * m * g.OutSpatial];
            Convolution.Forward(g, x.Data, weights.Data, null, bias.Data, y);
            return y;
        });
        var expected = ConvOperatorTests.NaiveConvolution(x, weights, bias, group, stride, stride, 1, 1, pad, pad, pad, pad).Values;
        TestTensors.AssertClose(expected, two, 1e-4);
        Assert.Equal(one, two);
    }

    [Theory]
    // batch, channels, h, w, filters, kernel, group, stride, pad, transposed weights
    [InlineData(1, 64, 40, 30, 8, 3, 1, 1, 1, true)]   // two budget tiles, channels split 32 + 32
    [InlineData(1, 64, 40, 30, 8, 3, 1, 1, 1, false)]  // the same reading W's columns in place
    [InlineData(3, 20, 11, 13, 6, 3, 1, 1, 1, true)]   // 3 images: each image's channels split 10 + 10
    [InlineData(2, 16, 10, 9, 8, 3, 2, 1, 1, false)]   // batch x groups = 4: whole groups shared, no channel split
    [InlineData(1, 5, 8, 8, 4, 3, 1, 1, 1, true)]      // 5 channels, too few rows for 4 row tiles: channels split 2 + 3
    [InlineData(1, 1, 8, 8, 4, 3, 1, 1, 1, true)]      // one channel, 8 rows: one part, its product on every thread
    [InlineData(1, 64, 28, 28, 32, 1, 1, 2, 0, true)]  // 1x1 stride 2
    [InlineData(1, 16, 9, 101, 8, 3, 1, 2, 1, true)]   // stride 2, 51 output columns: SIMD scatter-adds and a remainder
    public void Data_gradient_matches_the_adjoint_and_one_thread_gives_the_same_bits(int n, int c, int h, int w, int m, int k, int group, int stride, int pad, bool transposed)
    {
        var (expected, one, two) = DataGradients(n, c, h, w, m, k, group, stride, pad, transposed);
        TestTensors.AssertClose(expected, two, 1e-4);
        Assert.Equal(one, two);
    }

    /// <summary>
    /// Three input channels (an RGB stem) cannot be shared evenly: the threads take even, then odd row
    /// tiles, 4 of them on two threads (1 on one thread), so the sums run in another order.
    /// </summary>
    [Theory]
    [InlineData(1, 3, 90, 80, 8, 7, 2, 3)]
    [InlineData(1, 3, 31, 29, 8, 3, 1, 1)]
    [InlineData(1, 5, 12, 12, 4, 3, 1, 1)]   // 12 rows: 4 tiles of 3, the kernel's reach
    [InlineData(1, 1, 12, 12, 4, 3, 1, 1)]
    public void Data_gradient_over_even_and_odd_row_tiles_matches_the_adjoint(int n, int c, int h, int w, int m, int k, int stride, int pad)
    {
        var (expected, one, two) = DataGradients(n, c, h, w, m, k, 1, stride, pad, true);
        TestTensors.AssertClose(expected, one, 1e-4);
        TestTensors.AssertClose(expected, two, 1e-4);
        for (int i = 0; i < one.Length; i++)
            Assert.True(Math.Abs(one[i] - two[i]) <= 1e-6 * Math.Max(1, Math.Abs(one[i])), $"element {i}: {one[i]} on one thread, {two[i]} on two");
    }

    private static (double[] Expected, float[] One, float[] Two) DataGradients(int n, int c, int h, int w, int m, int k, int group, int stride, int pad, bool transposed)
    {
        var g = Geometry(n, c, h, w, m, k, group, stride, pad);
        var random = new Random(c + h * 3 + w * 5 + n * 7 + k * 11);
        var x = TestTensors.Random(random, n, c, h, w);
        var weights = TestTensors.Random(random, m, c / group, k, k);
        var dy = TestTensors.Random(random, n, m, g.OutHeight, g.OutWidth);
        var transposedWeights = transposed ? Convolution.TransposeWeights(g, weights.Data) : [];
        var (one, two) = OnOneAndTwoThreads(() =>
        {
            var dx = new float[x.Length];
            dx.AsSpan().Fill(float.NaN); // overwritten, not accumulated
            Convolution.BackwardData(g, dy.Data, weights.Data, transposedWeights, dx);
            return dx;
        });
        return (ConvDataGradientTests.NaiveDataGradient(x, weights, dy, group, stride, 1, pad), one, two);
    }
}
