using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class TanhTests
{
    [Fact]
    public void MatchesMathTanhIncludingLargeValues()
    {
        var x = Random(new Random(11), 70);
        x.Data[0] = 50; x.Data[1] = -50; x.Data[2] = 0.5f;
        var y = Run(Create<TanhOperator>(13), x);
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Tanh(x.Data[i]), y.Data[i], 1e-6);
        Assert.Equal(0.462117f, y.Data[2], 5);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<TanhOperator>(13), [Random(new Random(12), 3, 4)], [0]);
}
