using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

public class AveragePoolOperatorTests
{
    private static AveragePoolOperator AveragePool(params (string, object)[] attributes) => new(TestTensors.Attributes(attributes), 19);

    private static readonly Tensor Five = Tensor.FromValues([1, 1, 5], 1, 2, 3, 4, 5);

    [Fact]
    public void TwoByTwoByHand()
    {
        var x = Tensor.FromValues([1, 1, 2, 4], 1, 2, 3, 4, 5, 6, 7, 8);
        var y = AveragePool(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })).Forward([x])[0];
        Assert.Equal(new float[] { 3.5f, 5.5f }, y.Data);
    }

    [Fact]
    public void CeilModeLastWindowDividesByItsClippedSize()
    {
        foreach (long include in new[] { 0L, 1L })
        {
            var y = AveragePool(("kernel_shape", new long[] { 2 }), ("strides", new long[] { 2 }), ("ceil_mode", 1L), ("count_include_pad", include))
                .Forward([Five])[0];
            Assert.Equal(new float[] { 1.5f, 3.5f, 5f }, y.Data);
        }
    }

    [Fact]
    public void CountIncludePadChangesTheDivisorAtTheEdge()
    {
        (string, object)[] common = [("kernel_shape", new long[] { 2 }), ("strides", new long[] { 2 }), ("pads", new long[] { 1, 1 }), ("ceil_mode", 1L)];
        // Windows start at -1, 1, 3 (a fourth would start at 5 = in the end pad and is dropped).
        var included = AveragePool([.. common, ("count_include_pad", 1L)]).Forward([Five])[0];
        Assert.Equal(new float[] { 0.5f, 2.5f, 4.5f }, included.Data);
        var excluded = AveragePool([.. common, ("count_include_pad", 0L)]).Forward([Five])[0];
        Assert.Equal(new float[] { 1f, 2.5f, 4.5f }, excluded.Data);
    }

    [Fact]
    public void ThreeByThreePaddedMatchesNaiveLoop()
    {
        var random = new Random(21);
        var x = TestTensors.Random(random, 1, 2, 6, 7);
        foreach (bool include in new[] { false, true })
        {
            var y = AveragePool(("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 }),
                ("count_include_pad", include ? 1L : 0L)).Forward([x])[0];
            int oh = 3, ow = 4;
            Assert.Equal(new[] { 1, 2, oh, ow }, y.ShapeArray);
            var expected = new double[y.Length];
            for (int p = 0; p < 2; p++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = 0;
                        int count = 0;
                        for (int a = 0; a < 3; a++)
                            for (int b = 0; b < 3; b++)
                            {
                                int r = 2 * i - 1 + a, c = 2 * j - 1 + b;
                                bool inside = r >= 0 && r < 6 && c >= 0 && c < 7;
                                if (inside) sum += x.Data[p * 42 + r * 7 + c];
                                // With count_include_pad every tap inside the padded 8x9 frame counts.
                                if (inside || (include && r >= -1 && r < 7 && c >= -1 && c < 8)) count++;
                            }
                        expected[(p * oh + i) * ow + j] = sum / count;
                    }
            TestTensors.AssertClose(expected, y.Data, 1e-6);
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    public void BackwardMatchesFiniteDifferences(long include)
    {
        var random = new Random(22);
        var op = AveragePool(("kernel_shape", new long[] { 3, 2 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 0, 1 }),
            ("ceil_mode", 1L), ("count_include_pad", include));
        GradientCheck.Check(op, [TestTensors.Random(random, 2, 2, 5, 6)], [0]);
    }
}
