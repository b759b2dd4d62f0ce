using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class HardSwishTests
{
    [Fact]
    public void ValuesFollowXTimesHardSigmoid()
    {
        AssertValues([0, -1 / 3f, 0, 2 / 3f * 1, 4], Run(Create<HardSwishOperator>(14), T([5], -4, -1, 0, 1, 4)), 1e-6f);
    }

    [Fact]
    public void GradientFollowsPyTorchPieces()
    {
        var op = Create<HardSwishOperator>(14);
        var x = T([5], -4, -3, 0, 3, 5);
        AssertValues([0, -0.5f, 0.5f, 1.5f, 1], op.Backward([x], op.Forward([x]), [T([5], 1, 1, 1, 1, 1)])[0]!);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<HardSwishOperator>(14), [T([5], -4f, -2.5f, 0.3f, 2.2f, 3.5f)], [0]);
}
