using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

public class GlobalPoolOperatorTests
{
    [Fact]
    public void GlobalAverageAndMaxByHand()
    {
        var x = Tensor.FromValues([1, 2, 2, 2], 1, 2, 3, 6, -1, -2, -3, -4);
        var average = new GlobalAveragePoolOperator(TestTensors.Attributes(), 13).Forward([x])[0];
        Assert.Equal(new[] { 1, 2, 1, 1 }, average.ShapeArray);
        Assert.Equal(new float[] { 3, -2.5f }, average.Data);
        var maximum = new GlobalMaxPoolOperator(TestTensors.Attributes(), 13).Forward([x])[0];
        Assert.Equal(new float[] { 6, -1 }, maximum.Data);
    }

    [Fact]
    public void OneDimensionalInputKeepsItsRank()
    {
        var x = Tensor.FromValues([1, 1, 4], 1, 2, 3, 4);
        var y = new GlobalAveragePoolOperator(TestTensors.Attributes(), 13).Forward([x])[0];
        Assert.Equal(new[] { 1, 1, 1 }, y.ShapeArray);
        Assert.Equal(2.5f, y.Data[0]);
    }

    [Fact]
    public void MatrixInputIsAShapeError()
    {
        Assert.Throws<ShapeMismatchException>(() => new GlobalMaxPoolOperator(TestTensors.Attributes(), 13).Forward([new Tensor(2, 3)]));
    }

    [Fact]
    public void BackwardMatchesFiniteDifferences()
    {
        var random = new Random(31);
        GradientCheck.Check(new GlobalAveragePoolOperator(TestTensors.Attributes(), 13), [TestTensors.Random(random, 2, 3, 3, 4)], [0]);
        GradientCheck.Check(new GlobalMaxPoolOperator(TestTensors.Attributes(), 13), [TestTensors.DistinctRandom(random, 2, 3, 3, 4)], [0], step: 1e-3);
    }
}
