using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class ReluTests
{
    [Fact]
    public void ForwardClampsNegativesToZero()
    {
        var y = Run(Create<ReluOperator>(13), T([2, 3], -2, -0f, 0, 0.5f, 3, -1e-7f));
        AssertTensor([2, 3], [0, 0, 0, 0.5f, 3, 0], y);
    }

    [Fact]
    public void BackwardIsZeroAtAndBelowZero()
    {
        var op = Create<ReluOperator>(13);
        var x = T([4], -1, 0, 2, 3);
        var dx = op.Backward([x], op.Forward([x]), [T([4], 10, 20, 30, 40)])[0]!;
        AssertValues([0, 0, 30, 40], dx);
    }

    [Fact]
    public void LongInputUsesVectorPathWithScalarTail()
    {
        var x = Random(new Random(1), 3, 1000, 37);
        var y = Run(Create<ReluOperator>(14), x);
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Max(x.Data[i], 0), y.Data[i]);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<ReluOperator>(13), [RandomAwayFromZero(new Random(2), 0.05f, 2, 3, 4)], [0]);
}
