using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

public class BatchNormalizationOperatorTests
{
    [Fact]
    public void PerChannelNormalisationByHand()
    {
        var x = Tensor.FromValues([1, 2, 1, 2], 1, 3, 10, 20);
        var scale = Tensor.FromValues([2], 2, 1);
        var bias = Tensor.FromValues([2], 1, 0);
        var mean = Tensor.FromValues([2], 1, 10);
        var variance = Tensor.FromValues([2], 4, 100);
        var op = new BatchNormalizationOperator(TestTensors.Attributes(("epsilon", 0f)), 15);
        var y = op.Forward([x, scale, bias, mean, variance]);
        Assert.Single(y);
        // Channel 0: 2 * (x - 1) / 2 + 1; channel 1: (x - 10) / 10.
        Assert.Equal(new float[] { 1, 3, 0, 1 }, y[0].Data);
    }

    [Fact]
    public void EpsilonIsAddedToTheVariance()
    {
        var op = new BatchNormalizationOperator(TestTensors.Attributes(("epsilon", 0.75f)), 15);
        var y = op.Forward([Tensor.FromValues([1, 1, 1], 3), Tensor.FromValues([1], 1), Tensor.FromValues([1], 0),
            Tensor.FromValues([1], 1), Tensor.FromValues([1], 0.25f)])[0];
        Assert.Equal(2f, y.Data[0]);
    }

    [Fact]
    public void SpatialZeroInOldOpsetsNormalisesEachPosition()
    {
        var x = Tensor.FromValues([2, 1, 2], 1, 2, 3, 4);
        var op = new BatchNormalizationOperator(TestTensors.Attributes(("epsilon", 0f), ("spatial", 0L)), 7);
        var y = op.Forward([x, Tensor.FromValues([1, 2], 1, 2), Tensor.FromValues([1, 2], 0, 0),
            Tensor.FromValues([1, 2], 1, 2), Tensor.FromValues([1, 2], 1, 4)])[0];
        Assert.Equal(new float[] { 0, 0, 2, 2 }, y.Data);
    }

    [Fact]
    public void WrongStatisticLengthIsAShapeError()
    {
        var op = new BatchNormalizationOperator(TestTensors.Attributes(), 15);
        var one = Tensor.FromValues([1], 1);
        Assert.Throws<ShapeMismatchException>(() => op.Forward([new Tensor(1, 2, 2, 2), one, one, one, one]));
    }

    [Fact]
    public void BackwardMatchesFiniteDifferences()
    {
        var random = new Random(41);
        var x = TestTensors.Random(random, 2, 3, 2, 2);
        var scale = TestTensors.Random(random, 3);
        var bias = TestTensors.Random(random, 3);
        var mean = TestTensors.Random(random, 3);
        var variance = Tensor.FromValues([3], 0.5f, 1.2f, 2f);
        GradientCheck.Check(new BatchNormalizationOperator(TestTensors.Attributes(), 15), [x, scale, bias, mean, variance], [0, 1, 2, 3, 4], step: 1e-3);
    }
}
