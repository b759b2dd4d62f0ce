using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class HardSigmoidTests
{
    [Fact]
    public void DefaultsAreAlphaPoint2BetaPoint5()
    {
        AssertValues([0, 0.3f, 0.5f, 0.9f, 1], Run(Create<HardSigmoidOperator>(6), T([5], -3, -1, 0, 2, 4)));
    }

    [Fact]
    public void GradientIsAlphaInsideTheRamp()
    {
        var op = Create<HardSigmoidOperator>(6, ("alpha", 1 / 6f), ("beta", 0.5f));
        var x = T([4], -4, 0, 2.5f, 4);
        AssertValues([0, 1 / 6f, 1 / 6f, 0], op.Backward([x], op.Forward([x]), [T([4], 1, 1, 1, 1)])[0]!);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<HardSigmoidOperator>(6), [T([5], -3.1f, -1.2f, 0.3f, 2.2f, 2.6f)], [0]);
}
