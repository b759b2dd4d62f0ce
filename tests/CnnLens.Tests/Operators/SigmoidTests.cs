using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class SigmoidTests
{
    [Fact]
    public void KnownValuesAndExtremes()
    {
        var x = new Tensor([40]);
        x.Data[0] = 0; x.Data[1] = 2; x.Data[2] = -2; x.Data[3] = 100; x.Data[4] = -100;
        var y = Run(Create<SigmoidOperator>(13), x);
        Assert.Equal(0.5f, y.Data[0], 6);
        Assert.Equal(0.880797f, y.Data[1], 5);
        Assert.Equal(0.119203f, y.Data[2], 5);
        Assert.Equal(1f, y.Data[3]);
        Assert.True(y.Data[4] >= 0 && y.Data[4] < 1e-30);
        Assert.All(y.Data, v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void VectorPathMatchesScalarFormula()
    {
        var x = Random(new Random(9), 100);
        var y = Run(Create<SigmoidOperator>(13), x);
        for (int i = 0; i < x.Length; i++) Assert.Equal(1 / (1 + Math.Exp(-x.Data[i])), y.Data[i], 1e-6);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<SigmoidOperator>(13), [Random(new Random(6), 2, 7)], [0]);
}
