using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

public class GemmOperatorTests
{
    private static GemmOperator Gemm(params (string, object)[] attributes) => new(TestTensors.Attributes(attributes), 13);

    [Fact]
    public void ProductPlusBiasRowByHand()
    {
        var a = Tensor.FromValues([2, 2], 1, 2, 3, 4);
        var b = Tensor.FromValues([2, 3], 1, 0, 1, 0, 1, 1);
        var c = Tensor.FromValues([3], 10, 20, 30);
        var y = Gemm().Forward([a, b, c])[0];
        Assert.Equal(new[] { 2, 3 }, y.ShapeArray);
        Assert.Equal(new float[] { 11, 22, 33, 13, 24, 37 }, y.Data);
    }

    [Fact]
    public void TransposesAlphaBetaAndColumnBroadcastByHand()
    {
        // A^T = [1 2; 3 4], B^T = [1 0; 0 1] -> product = A^T; alpha 2, beta 0.5 with C [2,1] = [2; 4].
        var a = Tensor.FromValues([2, 2], 1, 3, 2, 4);
        var b = Tensor.FromValues([2, 2], 1, 0, 0, 1);
        var c = Tensor.FromValues([2, 1], 2, 4);
        var y = Gemm(("transA", 1L), ("transB", 1L), ("alpha", 2f), ("beta", 0.5f)).Forward([a, b, c])[0];
        Assert.Equal(new float[] { 3, 5, 8, 10 }, y.Data);
    }

    [Fact]
    public void ScalarAndFullCBroadcast()
    {
        var a = Tensor.FromValues([1, 2], 1, 1);
        var b = Tensor.FromValues([2, 2], 1, 2, 3, 4);
        Assert.Equal(new float[] { 5, 7 }, Gemm().Forward([a, b, Tensor.Scalar(1)])[0].Data);
        Assert.Equal(new float[] { 5, 6 }, Gemm().Forward([a, b, Tensor.FromValues([1, 2], 1, 0)])[0].Data);
        Assert.Equal(new float[] { 4, 6 }, Gemm().Forward([a, b])[0].Data);
    }

    [Fact]
    public void IncompatibleShapesAreShapeErrors()
    {
        var random = new Random(1);
        Assert.Throws<ShapeMismatchException>(() => Gemm().Forward([TestTensors.Random(random, 2, 3), TestTensors.Random(random, 2, 3)]));
        Assert.Throws<ShapeMismatchException>(() =>
            Gemm().Forward([TestTensors.Random(random, 2, 3), TestTensors.Random(random, 3, 4), TestTensors.Random(random, 3)]));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatchesNaiveLoopAndRepeatsWithPackedWeights(bool transA, bool transB)
    {
        var random = new Random((transA ? 2 : 0) + (transB ? 1 : 0));
        int m = 5, k = 37, n = 41;
        var a = transA ? TestTensors.Random(random, k, m) : TestTensors.Random(random, m, k);
        var b = transB ? TestTensors.Random(random, n, k) : TestTensors.Random(random, k, n);
        var c = TestTensors.Random(random, m, n);
        var op = Gemm(("transA", transA ? 1L : 0L), ("transB", transB ? 1L : 0L), ("alpha", 0.5f), ("beta", 2f));
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += (double)(transA ? a[p, i] : a[i, p]) * (transB ? b[j, p] : b[p, j]);
                expected[i * n + j] = 0.5 * sum + 2 * c[i, j];
            }
        TestTensors.AssertClose(expected, op.Forward([a, b, c])[0].Data, 1e-5);
        TestTensors.AssertClose(expected, op.Forward([a, b, c])[0].Data, 1e-5);
    }

    [Theory]
    [InlineData(false, false, 2)]
    [InlineData(true, true, 1)]
    [InlineData(false, true, 0)]
    public void BackwardMatchesFiniteDifferences(bool transA, bool transB, int cRank)
    {
        var random = new Random(cRank + (transA ? 4 : 0));
        int m = 3, k = 4, n = 5;
        var a = transA ? TestTensors.Random(random, k, m) : TestTensors.Random(random, m, k);
        var b = transB ? TestTensors.Random(random, n, k) : TestTensors.Random(random, k, n);
        var c = cRank switch { 2 => TestTensors.Random(random, m, 1), 1 => TestTensors.Random(random, n), _ => Tensor.Scalar(0.3f) };
        var op = Gemm(("transA", transA ? 1L : 0L), ("transB", transB ? 1L : 0L), ("alpha", 1.5f), ("beta", -0.5f));
        GradientCheck.Check(op, [a, b, c], [0, 1, 2]);
    }
}
