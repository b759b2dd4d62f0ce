using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class SoftmaxTests
{
    private static double[] Reference(params double[] x)
    {
        double max = x.Max();
        var e = x.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    [Fact]
    public void Opset13UsesLastAxisByDefault()
    {
        var y = Run(Create<SoftmaxOperator>(13), T([2, 3], 1, 2, 3, 1000, 1000, 1000));
        var r = Reference(1, 2, 3);
        AssertValues([(float)r[0], (float)r[1], (float)r[2], 1 / 3f, 1 / 3f, 1 / 3f], y);
    }

    [Fact]
    public void Opset13AxisOneNormalisesChannels()
    {
        // [1,2,2]: along axis 1 pairs (0,2) and (1,3).
        var y = Run(Create<SoftmaxOperator>(13, ("axis", 1L)), T([1, 2, 2], 0, 1, 0, 3));
        var a = Reference(0, 0);
        var b = Reference(1, 3);
        AssertValues([(float)a[0], (float)b[0], (float)a[1], (float)b[1]], y);
    }

    [Fact]
    public void Opset11CoercesTo2DFromAxis()
    {
        // axis 1 of [1,2,2] normalises over all four values together.
        var y = Run(Create<SoftmaxOperator>(11), T([1, 2, 2], 0, 1, 0, 3));
        var r = Reference(0, 1, 0, 3);
        AssertValues(r.Select(v => (float)v).ToArray(), y);
    }

    [Fact]
    public void LongRowsUseVectorPath()
    {
        var x = Random(new Random(3), 2, 100);
        var y = Run(Create<SoftmaxOperator>(13), x);
        for (int row = 0; row < 2; row++)
        {
            var r = Reference(x.Data.Skip(row * 100).Take(100).Select(v => (double)v).ToArray());
            for (int i = 0; i < 100; i++) Assert.Equal(r[i], y.Data[row * 100 + i], 1e-6);
        }
    }

    [Fact]
    public void StridedAxisSpanningSeveralColumnBlocks()
    {
        // inner = 300 columns: one full block of 256 and a remainder, along an axis of 3.
        var x = Random(new Random(6), 2, 3, 300);
        var y = Run(Create<SoftmaxOperator>(13, ("axis", 1L)), x);
        var logY = Run(Create<LogSoftmaxOperator>(13, ("axis", -2L)), x);
        for (int n = 0; n < 2; n++)
            for (int k = 0; k < 300; k += 7)
            {
                var r = Reference(x[n, 0, k], x[n, 1, k], x[n, 2, k]);
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(r[c], y[n, c, k], 1e-6);
                    Assert.Equal(Math.Log(r[c]), logY[n, c, k], 1e-5);
                }
            }
    }

    [Fact]
    public void LogSoftmaxIsStableForLargeInputs()
    {
        var y = Run(Create<LogSoftmaxOperator>(13), T([3], 1000, 1001, 1002));
        var r = Reference(0, 1, 2);
        AssertValues(r.Select(v => (float)Math.Log(v)).ToArray(), y, 1e-5f);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        GradientCheck.Check(Create<SoftmaxOperator>(13, ("axis", 1L)), [Random(new Random(1), 2, 3, 2)], [0]);
        GradientCheck.Check(Create<SoftmaxOperator>(11, ("axis", 1L)), [Random(new Random(2), 2, 3, 2)], [0]);
        GradientCheck.Check(Create<SoftmaxOperator>(13), [Random(new Random(3), 2, 20)], [0]);
        GradientCheck.Check(Create<LogSoftmaxOperator>(13, ("axis", -2L)), [Random(new Random(4), 3, 4, 2)], [0]);
        GradientCheck.Check(Create<LogSoftmaxOperator>(13), [Random(new Random(5), 2, 20)], [0]);
        GradientCheck.Check(Create<SoftmaxOperator>(13, ("axis", 0L)), [Random(new Random(6), 2, 260)], [0]);
        GradientCheck.Check(Create<LogSoftmaxOperator>(13, ("axis", 0L)), [Random(new Random(7), 2, 260)], [0]);
    }
}
