using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

/// <summary>ReduceMean, ReduceSum and ReduceMax.</summary>
public class ReduceTests
{
    // 2x3: [[1,2,3],[4,5,6]]
    private static readonly Tensor Grid = T([2, 3], 1, 2, 3, 4, 5, 6);

    [Fact]
    public void MeanAxesAttributeBefore18()
    {
        AssertTensor([2, 1], [2, 5], Run(Create<ReduceMeanOperator>(13, ("axes", new long[] { -1 })), Grid));
        AssertTensor([3], [2.5f, 3.5f, 4.5f], Run(Create<ReduceMeanOperator>(13, ("axes", new long[] { 0 }), ("keepdims", 0L)), Grid));
        AssertTensor([1, 1], [3.5f], Run(Create<ReduceMeanOperator>(11), Grid));
    }

    [Fact]
    public void MeanAxesInputFrom18AndNoop()
    {
        AssertTensor([1, 3], [2.5f, 3.5f, 4.5f], Run(Create<ReduceMeanOperator>(18), Grid, Longs(0)));
        AssertTensor([], [3.5f], Run(Create<ReduceMeanOperator>(18, ("keepdims", 0L)), Grid));
        AssertTensor([2, 3], [1, 2, 3, 4, 5, 6], Run(Create<ReduceMeanOperator>(18, ("noop_with_empty_axes", 1L)), Grid, Longs()));
    }

    [Fact]
    public void GlobalAveragePoolingStyleMean()
    {
        var x = Random(new Random(1), 2, 3, 4, 5);
        var y = Run(Create<ReduceMeanOperator>(13, ("axes", new long[] { 2, 3 })), x);
        Assert.Equal([2, 3, 1, 1], y.ShapeArray);
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
            {
                double sum = 0;
                for (int h = 0; h < 4; h++) for (int w = 0; w < 5; w++) sum += x[n, c, h, w];
                Assert.Equal(sum / 20, y[n, c, 0, 0], 5);
            }
    }

    [Fact]
    public void SumAxesInputFrom13AndAttributeBefore()
    {
        AssertTensor([2], [6, 15], Run(Create<ReduceSumOperator>(13, ("keepdims", 0L)), Grid, Longs(1)));
        AssertTensor([1, 3], [5, 7, 9], Run(Create<ReduceSumOperator>(11, ("axes", new long[] { 0 })), Grid));
        var ints = Run(Create<ReduceSumOperator>(13), Tensor.FromLongs([3], [1, 2, 3]));
        Assert.Equal(TensorDataType.Int64, ints.DataType);
        AssertValues([6], ints);
    }

    [Fact]
    public void MaxOverAxes()
    {
        AssertTensor([2, 1], [3, 6], Run(Create<ReduceMaxOperator>(13, ("axes", new long[] { 1 })), Grid));
        AssertTensor([1, 3], [4, 5, 6], Run(Create<ReduceMaxOperator>(18), Grid, Longs(-2)));
    }

    [Fact]
    public void MaxGradientSharesTies()
    {
        var op = Create<ReduceMaxOperator>(13, ("axes", new long[] { 1 }), ("keepdims", 0L));
        var x = T([2, 3], 5, 1, 5, 0, 2, 1);
        var dx = op.Backward([x], op.Forward([x]), [T([2], 4, 3)])[0]!;
        AssertValues([2, 0, 2, 0, 3, 0], dx);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new Random(2);
        GradientCheck.Check(Create<ReduceMeanOperator>(13, ("axes", new long[] { 0, 2 })), [Random(rng, 2, 3, 4)], [0]);
        GradientCheck.Check(Create<ReduceMeanOperator>(18, ("keepdims", 0L)), [Random(rng, 2, 3, 4), Longs(-1)], [0]);
        GradientCheck.Check(Create<ReduceSumOperator>(13, ("keepdims", 0L)), [Random(rng, 2, 3, 4), Longs(1)], [0]);
        GradientCheck.Check(Create<ReduceMaxOperator>(13, ("axes", new long[] { 1 })), [Random(rng, 2, 3, 4)], [0], step: 1e-4, tolerance: 3e-2);
    }
}
