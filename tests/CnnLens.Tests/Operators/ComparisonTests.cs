using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

/// <summary>Equal, Less, Greater, LessOrEqual, GreaterOrEqual, Not, Where.</summary>
public class ComparisonTests
{
    [Fact]
    public void ComparisonsGiveBoolTensors()
    {
        var a = T([2, 2], 1, 2, 3, 4);
        var b = T([2], 2, 2);
        var eq = Run(Create<EqualOperator>(13), a, b);
        AssertValues([0, 1, 0, 0], eq);
        Assert.Equal(TensorDataType.Bool, eq.DataType);
        AssertValues([1, 0, 0, 0], Run(Create<LessOperator>(13), a, b));
        AssertValues([0, 0, 1, 1], Run(Create<GreaterOperator>(13), a, b));
        AssertValues([1, 1, 0, 0], Run(Create<LessOrEqualOperator>(16), a, b));
        AssertValues([0, 1, 1, 1], Run(Create<GreaterOrEqualOperator>(16), a, b));
        var not = Run(Create<NotOperator>(1), eq);
        AssertValues([1, 0, 1, 1], not);
        Assert.Equal(TensorDataType.Bool, not.DataType);
    }

    [Fact]
    public void LongComparisonUsesVectorMask()
    {
        var a = Random(new Random(1), 100);
        var y = Run(Create<GreaterOperator>(13), a, Tensor.Scalar(0));
        for (int i = 0; i < a.Length; i++) Assert.Equal(a.Data[i] > 0 ? 1f : 0f, y.Data[i]);
    }

    [Fact]
    public void WhereSelectsWithBroadcastAndRoutesGradients()
    {
        var op = Create<WhereOperator>(16);
        var c = new Tensor([2, 1], [1, 0], TensorDataType.Bool);
        Tensor?[] inputs = [c, T([2, 2], 1, 2, 3, 4), Tensor.Scalar(-1)];
        var y = op.Forward(inputs)[0];
        AssertTensor([2, 2], [1, 2, -1, -1], y);
        var grads = op.Backward(inputs, [y], [T([2, 2], 1, 2, 3, 4)]);
        Assert.Null(grads[0]);
        AssertValues([1, 2, 0, 0], grads[1]!);
        AssertValues([7], grads[2]!);
    }

    [Fact]
    public void WhereGradientMatchesFiniteDifferences()
    {
        var rng = new Random(2);
        var c = new Tensor([3], [1, 0, 1], TensorDataType.Bool);
        GradientCheck.Check(Create<WhereOperator>(16), [c, Random(rng, 2, 3), Random(rng, 2, 1)], [1, 2]);
    }
}
