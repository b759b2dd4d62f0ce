using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class SplitTests
{
    private static readonly Tensor Six = T([2, 6], 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15);

    [Fact]
    public void Opset11SplitAttribute()
    {
        var parts = Create<SplitOperator>(11, ("axis", 1L), ("split", new long[] { 2, 4 })).Forward([Six]);
        AssertTensor([2, 2], [0, 1, 10, 11], parts[0]);
        AssertTensor([2, 4], [2, 3, 4, 5, 12, 13, 14, 15], parts[1]);
    }

    [Fact]
    public void Opset13SplitInput()
    {
        var parts = Create<SplitOperator>(13, ("axis", -1L)).Forward([Six, Longs(1, 5)]);
        AssertTensor([2, 1], [0, 10], parts[0]);
        AssertTensor([2, 5], [1, 2, 3, 4, 5, 11, 12, 13, 14, 15], parts[1]);
    }

    [Fact]
    public void EqualSplitUsesTheOutputCount()
    {
        var op = Create<SplitOperator>(13, ("axis", 1L));
        op.SetOutputCount(3);
        var parts = op.Forward([Six]);
        Assert.Equal(3, parts.Length);
        AssertTensor([2, 2], [4, 5, 14, 15], parts[2]);
    }

    [Fact]
    public void Opset18NumOutputsLastPartSmaller()
    {
        var parts = Create<SplitOperator>(18, ("axis", 1L), ("num_outputs", 4L)).Forward([Six]);
        Assert.Equal([2, 2, 2, 0], parts.Select(p => p.Shape[1]).ToArray());
        var five = Create<SplitOperator>(18, ("axis", 0L), ("num_outputs", 2L)).Forward([T([5], 1, 2, 3, 4, 5)]);
        AssertValues([1, 2, 3], five[0]);
        AssertValues([4, 5], five[1]);
    }

    [Fact]
    public void BackwardFillsMissingOutputGradientsWithZeros()
    {
        var op = Create<SplitOperator>(13, ("axis", 0L));
        Tensor?[] inputs = [T([3], 1, 2, 3), Longs(1, 2)];
        var outputs = op.Forward(inputs);
        var grads = op.Backward(inputs, outputs, [null, T([2], 5, 6)]);
        AssertValues([0, 5, 6], grads[0]!);
        Assert.Null(grads[1]);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<SplitOperator>(11, ("axis", 1L), ("split", new long[] { 1, 3 })), [Random(new Random(2), 2, 4, 2)], [0]);
}
