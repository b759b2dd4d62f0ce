using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class PReluTests
{
    [Fact]
    public void PerChannelSlopeBroadcasts()
    {
        // x [1,2,2,1], slope [2,1,1]: channel 0 slope 0.1, channel 1 slope 0.5.
        var y = Run(Create<PReluOperator>(9), T([1, 2, 2, 1], -1, 2, -4, 3), T([2, 1, 1], 0.1f, 0.5f));
        AssertTensor([1, 2, 2, 1], [-0.1f, 2, -2, 3], y);
    }

    [Fact]
    public void SlopeGradientSumsNegativeInputs()
    {
        var op = Create<PReluOperator>(9);
        var x = T([1, 2, 2, 1], -1, 2, -4, -3);
        var slope = T([2, 1, 1], 0.1f, 0.5f);
        var grads = op.Backward([x, slope], op.Forward([x, slope]), [T([1, 2, 2, 1], 1, 1, 2, 1)]);
        AssertValues([0.1f, 1, 1, 0.5f], grads[0]!);
        AssertValues([-1, -8 - 3], grads[1]!);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<PReluOperator>(9), [RandomAwayFromZero(new Random(4), 0.05f, 2, 3, 2, 2), Random(new Random(5), 3, 1, 1)], [0, 1]);
}
