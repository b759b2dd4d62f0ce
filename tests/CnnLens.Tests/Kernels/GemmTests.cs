using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Tests.Kernels;

public class GemmTests
{
    private static float[] RandomValues(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>Independent reference: the textbook triple loop in double precision.</summary>
    private static double[] NaiveProduct(bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        var result = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transA ? a[p * lda + i] : a[i * lda + p];
                    double bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                result[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j]);
            }
        return result;
    }

    private static void AssertClose(double[] expected, float[] c, int m, int n, int ldc, int k)
    {
        double tolerance = 1e-5 * Math.Max(1, k);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                Assert.True(Math.Abs(expected[i * n + j] - c[i * ldc + j]) <= tolerance,
                    $"C[{i},{j}] = {c[i * ldc + j]}, expected {expected[i * n + j]}");
    }

    [Fact]
    public void TwoByTwoProductByHand()
    {
        float[] a = [1, 2, 3, 4];
        float[] b = [5, 6, 7, 8];
        var c = new float[4];
        Gemm.Multiply(false, false, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c);
        // alpha = 2, beta = 1 on top of the previous result; A transposed: A^T = [1 3; 2 4].
        Gemm.Multiply(true, false, 2, 2, 2, 2f, a, 2, b, 2, 1f, c, 2);
        Assert.Equal(new float[] { 19 + 2 * 26, 22 + 2 * 30, 43 + 2 * 38, 50 + 2 * 44 }, c);
    }

    [Fact]
    public void BetaZeroOverwritesNaN()
    {
        float[] a = [1, 2];
        float[] b = [3, 4];
        float[] c = [float.NaN];
        Gemm.Multiply(false, false, 1, 1, 2, 1f, a, 2, b, 1, 0f, c, 1);
        Assert.Equal(11f, c[0]);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 17, 5)]
    [InlineData(17, 33, 127)]
    [InlineData(33, 3, 17)]
    [InlineData(127, 65, 33)]
    [InlineData(7, 300, 520)]
    [InlineData(200, 45, 300)]
    [InlineData(13, 2100, 9)]
    public void MatchesNaiveLoopOnOddSizes(int m, int n, int k)
    {
        var random = new Random(m * 1000 + n * 10 + k);
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
                foreach (float beta in new[] { -0.5f, 0f })
                {
                    int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 1, ldc = n + 2;
                    var a = RandomValues(random, (transA ? k : m) * lda);
                    var b = RandomValues(random, (transB ? n : k) * ldb);
                    var c = RandomValues(random, m * ldc);
                    // beta = 0 must overwrite every value, over all depth blocks (k = 520 is three), without reading it.
                    if (beta == 0f)
                        for (int i = 0; i < m; i++) Array.Fill(c, float.NaN, i * ldc, n);
                    var before = (float[])c.Clone();
                    var expected = NaiveProduct(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, beta, c, ldc);
                    Gemm.Multiply(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, beta, c, ldc);
                    AssertClose(expected, c, m, n, ldc, k);
                    for (int i = 0; i < m; i++)
                        for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                            Assert.Equal(before[i * ldc + j], c[i * ldc + j]); // the gap between rows is left alone
                }
    }

    [Theory]
    [InlineData(1, 1000, 512)]
    [InlineData(64, 3136, 576)]
    [InlineData(37, 19, 300)]
    public void PrepackedOperandsMatchNaiveLoop(int m, int n, int k)
    {
        var random = new Random(m + n + k);
        foreach (bool trans in new[] { false, true })
        {
            var a = RandomValues(random, m * k);
            var b = RandomValues(random, k * n);
            int lda = trans ? m : k, ldb = trans ? k : n;
            var packedA = Gemm.PackLeft(trans, m, k, a, lda);
            var packedB = Gemm.PackRight(trans, k, n, b, ldb);

            var c1 = RandomValues(random, m * n);
            var expected = NaiveProduct(trans, trans, m, n, k, 1.5f, a, lda, b, ldb, 1f, c1, n);
            var c2 = (float[])c1.Clone();
            Gemm.Multiply(packedA, trans, n, 1.5f, b, ldb, 1f, c1, n);
            AssertClose(expected, c1, m, n, n, k);
            Gemm.Multiply(trans, m, 1.5f, a, lda, packedB, 1f, c2, n);
            AssertClose(expected, c2, m, n, n, k);
        }
    }

    [Fact]
    public void SingleAndTwoThreadsAgree()
    {
        var random = new Random(5);
        int m = 70, n = 300, k = 600;
        var a = RandomValues(random, m * k);
        var b = RandomValues(random, k * n);
        var one = new float[m * n];
        var two = new float[m * n];
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, one, n);
            Parallelism.MaxThreads = 2;
            Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, two, n);
        }
        finally { Parallelism.MaxThreads = saved; }
        Assert.Equal(one, two);
    }
}
