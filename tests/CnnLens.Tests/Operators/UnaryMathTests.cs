using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

/// <summary>Erf, Sqrt, Exp, Log, Neg, Abs, Reciprocal.</summary>
public class UnaryMathTests
{
    [Fact]
    public void ErfKnownValues()
    {
        // erf(0.5) = 0.5204998778, erf(1) = 0.8427007929, erf(2) = 0.9953222650
        var y = Run(Create<ErfOperator>(13), T([5], 0, 0.5f, 1, -1, 2));
        AssertValues([0, 0.5204999f, 0.8427008f, -0.8427008f, 0.9953223f], y, 2e-7f);
    }

    [Fact]
    public void ExpLogSqrtValues()
    {
        AssertValues([1, MathF.E, 1 / MathF.E], Run(Create<ExpOperator>(13), T([3], 0, 1, -1)), 1e-6f);
        AssertValues([0, 1, MathF.Log(10)], Run(Create<LogOperator>(13), T([3], 1, MathF.E, 10)), 1e-6f);
        AssertValues([0, 2, 1.5f], Run(Create<SqrtOperator>(13), T([3], 0, 4, 2.25f)));
        var wide = Random(new Random(1), 77);
        var e = Run(Create<ExpOperator>(13), wide);
        for (int i = 0; i < wide.Length; i++) Assert.Equal(Math.Exp(wide.Data[i]), e.Data[i], 1e-6 * Math.Exp(wide.Data[i]));
    }

    [Fact]
    public void NegAbsReciprocalValuesAndTypes()
    {
        AssertValues([-1, 2, 0], Run(Create<NegOperator>(13), T([3], 1, -2, 0)));
        AssertValues([1, 2, 0], Run(Create<AbsOperator>(13), T([3], 1, -2, 0)));
        AssertValues([0.5f, -4], Run(Create<ReciprocalOperator>(13), T([2], 2, -0.25f)));
        Assert.Equal(TensorDataType.Int64, Run(Create<NegOperator>(13), Tensor.FromLongs([1], [3])).DataType);
    }

    [Fact]
    public void AbsGradientIsZeroAtZero()
    {
        var op = Create<AbsOperator>(13);
        var x = T([3], -2, 0, 3);
        AssertValues([-1, 0, 1], op.Backward([x], op.Forward([x]), [T([3], 1, 1, 1)])[0]!);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new Random(5);
        GradientCheck.Check(Create<ErfOperator>(13), [Random(rng, 2, 4)], [0]);
        GradientCheck.Check(Create<ExpOperator>(13), [Random(rng, 2, 4)], [0]);
        GradientCheck.Check(Create<NegOperator>(13), [Random(rng, 2, 4)], [0]);
        GradientCheck.Check(Create<AbsOperator>(13), [RandomAwayFromZero(rng, 0.05f, 2, 4)], [0]);
        var positive = Elementwise.Map<AbsOperation>(RandomAwayFromZero(rng, 0.5f, 2, 4));
        GradientCheck.Check(Create<LogOperator>(13), [positive], [0], step: 1e-3);
        GradientCheck.Check(Create<SqrtOperator>(13), [positive], [0], step: 1e-3);
        GradientCheck.Check(Create<ReciprocalOperator>(13), [RandomAwayFromZero(rng, 0.5f, 2, 4)], [0], step: 1e-3);
    }
}
