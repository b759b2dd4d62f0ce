using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class SliceTests
{
    // 3x4: value = 10*row + col
    private static readonly Tensor Grid = T([3, 4], 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23);

    [Fact]
    public void Opset9Attributes()
    {
        var y = Run(Create<SliceOperator>(9, ("starts", new long[] { 1, 0 }), ("ends", new long[] { 3, 2 }), ("axes", new long[] { 0, 1 })), Grid);
        AssertTensor([2, 2], [10, 11, 20, 21], y);
        var noAxes = Run(Create<SliceOperator>(1, ("starts", new long[] { 0, 1 }), ("ends", new long[] { 1, 1000 })), Grid);
        AssertTensor([1, 3], [1, 2, 3], noAxes);
    }

    [Fact]
    public void NegativeIndicesAndHugeEnds()
    {
        var y = Run(Create<SliceOperator>(13), Grid, Longs(-2), Longs(long.MaxValue), Longs(1));
        AssertTensor([3, 2], [2, 3, 12, 13, 22, 23], y);
        var clamped = Run(Create<SliceOperator>(13), Grid, Longs(-100), Longs(-1), Longs(0));
        AssertTensor([2, 4], [0, 1, 2, 3, 10, 11, 12, 13], clamped);
    }

    [Fact]
    public void NegativeStepReverses()
    {
        // Full reverse: start -1, end -INT64_MAX, step -1.
        var reversed = Run(Create<SliceOperator>(13), Grid, Longs(-1), Longs(-long.MaxValue), Longs(1), Longs(-1));
        AssertTensor([3, 4], [3, 2, 1, 0, 13, 12, 11, 10, 23, 22, 21, 20], reversed);
        // Every second column from the end, rows 2..1.
        var y = Run(Create<SliceOperator>(13), Grid, Longs(2, 3), Longs(0, long.MinValue), Longs(0, 1), Longs(-1, -2));
        AssertTensor([2, 2], [23, 21, 13, 11], y);
    }

    [Fact]
    public void StepsAndEmptyResults()
    {
        AssertTensor([3, 2], [0, 2, 10, 12, 20, 22], Run(Create<SliceOperator>(13), Grid, Longs(0), Longs(4), Longs(1), Longs(2)));
        AssertTensor([0, 4], [], Run(Create<SliceOperator>(13), Grid, Longs(2), Longs(1), Longs(0)));
        var ints = Run(Create<SliceOperator>(13), Tensor.FromLongs([4], [1, 3, 224, 224]), Longs(2), Longs(4));
        Assert.Equal(TensorDataType.Int64, ints.DataType);
        AssertValues([224, 224], ints);
    }

    [Fact]
    public void BackwardPlacesGradientAtSlicedPositions()
    {
        var op = Create<SliceOperator>(13);
        Tensor?[] inputs = [T([5], 1, 2, 3, 4, 5), Longs(4), Longs(0), Longs(0), Longs(-2)];
        var y = op.Forward(inputs)[0];
        AssertValues([5, 3], y);
        var grads = op.Backward(inputs, [y], [T([2], 7, 8)]);
        AssertValues([0, 0, 8, 0, 7], grads[0]!);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<SliceOperator>(13), [Random(new Random(3), 3, 5, 4), Longs(-1, 1), Longs(0, 100), Longs(0, 2), Longs(-1, 2)], [0]);
}
