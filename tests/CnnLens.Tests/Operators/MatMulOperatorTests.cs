using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

public class MatMulOperatorTests
{
    private static MatMulOperator MatMul() => new(TestTensors.Attributes(), 13);

    /// <summary>Independent reference: numpy-style batched product with explicit broadcast index arithmetic.</summary>
    private static double[] NaiveBatched(Tensor a, int[] aBatch, Tensor b, int[] bBatch, int[] outBatch, int m, int k, int n)
    {
        int count = outBatch.Aggregate(1, (x, y) => x * y);
        var result = new double[count * m * n];
        for (int index = 0; index < count; index++)
        {
            var coordinates = new int[outBatch.Length];
            for (int axis = outBatch.Length - 1, rest = index; axis >= 0; axis--)
            {
                coordinates[axis] = rest % outBatch[axis];
                rest /= outBatch[axis];
            }
            int aIndex = FlatIndex(coordinates, aBatch), bIndex = FlatIndex(coordinates, bBatch);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += (double)a.Data[(aIndex * m + i) * k + p] * b.Data[(bIndex * k + p) * n + j];
                    result[(index * m + i) * n + j] = sum;
                }
        }
        return result;
    }

    private static int FlatIndex(int[] coordinates, int[] batch)
    {
        int flat = 0, offset = coordinates.Length - batch.Length;
        for (int axis = 0; axis < batch.Length; axis++)
            flat = flat * batch[axis] + (batch[axis] == 1 ? 0 : coordinates[axis + offset]);
        return flat;
    }

    [Fact]
    public void TwoByTwoByHand()
    {
        var y = MatMul().Forward([Tensor.FromValues([2, 2], 1, 2, 3, 4), Tensor.FromValues([2, 2], 5, 6, 7, 8)])[0];
        Assert.Equal(new float[] { 19, 22, 43, 50 }, y.Data);
    }

    [Fact]
    public void OneDimensionalOperandsDropTheirAddedAxis()
    {
        var vector = Tensor.FromValues([2], 1, 2);
        var matrix = Tensor.FromValues([2, 3], 1, 2, 3, 4, 5, 6);
        var left = MatMul().Forward([vector, matrix])[0];
        Assert.Equal(new[] { 3 }, left.ShapeArray);
        Assert.Equal(new float[] { 9, 12, 15 }, left.Data);
        var right = MatMul().Forward([Tensor.FromValues([2, 2], 1, 2, 3, 4), vector])[0];
        Assert.Equal(new[] { 2 }, right.ShapeArray);
        Assert.Equal(new float[] { 5, 11 }, right.Data);
        var dot = MatMul().Forward([vector, vector])[0];
        Assert.Equal(Array.Empty<int>(), dot.ShapeArray);
        Assert.Equal(5f, dot.Data[0]);
    }

    [Theory]
    [InlineData(new[] { 3 }, new int[0])]
    [InlineData(new[] { 2, 3 }, new[] { 3 })]
    [InlineData(new[] { 2, 1 }, new[] { 1, 4 })]
    [InlineData(new int[0], new[] { 2, 3 })]
    [InlineData(new[] { 1, 3 }, new[] { 2, 1 })]
    public void BatchedBroadcastMatchesNaiveLoop(int[] aBatch, int[] bBatch)
    {
        var random = new Random(aBatch.Sum() * 7 + bBatch.Sum());
        int m = 4, k = 9, n = 6;
        var a = TestTensors.Random(random, [.. aBatch, m, k]);
        var b = TestTensors.Random(random, [.. bBatch, k, n]);
        int rank = Math.Max(aBatch.Length, bBatch.Length);
        var outBatch = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int ai = i - (rank - aBatch.Length), bi = i - (rank - bBatch.Length);
            outBatch[i] = Math.Max(ai >= 0 ? aBatch[ai] : 1, bi >= 0 ? bBatch[bi] : 1);
        }
        var y = MatMul().Forward([a, b])[0];
        Assert.Equal([.. outBatch, m, n], y.ShapeArray);
        TestTensors.AssertClose(NaiveBatched(a, aBatch, b, bBatch, outBatch, m, k, n), y.Data, 1e-5);
    }

    [Fact]
    public void MismatchedInnerSizesAreShapeErrors()
    {
        var random = new Random(3);
        Assert.Throws<ShapeMismatchException>(() => MatMul().Forward([TestTensors.Random(random, 2, 3), TestTensors.Random(random, 4, 2)]));
        Assert.Throws<ShapeMismatchException>(() => MatMul().Forward([TestTensors.Random(random, 2, 2, 3), TestTensors.Random(random, 3, 3, 2)]));
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4, 5 })]
    [InlineData(new[] { 2, 1, 3, 4 }, new[] { 3, 4, 2 })]
    [InlineData(new[] { 4 }, new[] { 2, 4, 3 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    public void BackwardMatchesFiniteDifferences(int[] aShape, int[] bShape)
    {
        var random = new Random(aShape.Length * 10 + bShape.Length);
        GradientCheck.Check(MatMul(), [TestTensors.Random(random, aShape), TestTensors.Random(random, bShape)], [0, 1]);
    }
}
