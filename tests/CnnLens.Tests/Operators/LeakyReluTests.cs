using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class LeakyReluTests
{
    [Fact]
    public void DefaultAlphaIsOneHundredth()
    {
        AssertValues([-0.02f, 0, 3], Run(Create<LeakyReluOperator>(7), T([3], -2, 0, 3)));
    }

    [Fact]
    public void CustomAlphaAndGradient()
    {
        var op = Create<LeakyReluOperator>(16, ("alpha", 0.2f));
        var x = T([3], -2, 0, 3);
        AssertValues([-0.4f, 0, 3], Run(op, x));
        AssertValues([0.2f, 0.2f, 1], op.Backward([x], op.Forward([x]), [T([3], 1, 1, 1)])[0]!);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<LeakyReluOperator>(16, ("alpha", 0.3f)), [RandomAwayFromZero(new Random(3), 0.05f, 3, 5)], [0]);
}
