using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class ArithmeticTests
{
    [Fact]
    public void AddBroadcastsBothWays()
    {
        // [2,1] + [3] -> [2,3]
        var y = Run(Create<AddOperator>(14), T([2, 1], 10, 20), T([3], 1, 2, 3));
        AssertTensor([2, 3], [11, 12, 13, 21, 22, 23], y);
    }

    [Fact]
    public void AddWithScalarAndMiddleAxisBroadcast()
    {
        AssertValues([2, 3], Run(Create<AddOperator>(7), T([2], 1, 2), Tensor.Scalar(1)));
        // [2,1,2] + [3,1]: result [2,3,2]
        var y = Run(Create<AddOperator>(13), T([2, 1, 2], 1, 2, 3, 4), T([3, 1], 10, 20, 30));
        AssertTensor([2, 3, 2], [11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34], y);
    }

    [Fact]
    public void IncompatibleShapesThrow() =>
        Assert.Throws<ShapeMismatchException>(() => Run(Create<AddOperator>(13), new Tensor(2, 3), new Tensor(4)));

    [Fact]
    public void SubMulDivValues()
    {
        var a = T([2, 2], 6, 8, -9, 10);
        var b = T([2], 2, 4);
        AssertValues([4, 4, -11, 6], Run(Create<SubOperator>(13), a, b));
        AssertValues([12, 32, -18, 40], Run(Create<MulOperator>(13), a, b));
        AssertValues([3, 2, -4.5f, 2.5f], Run(Create<DivOperator>(13), a, b));
    }

    [Fact]
    public void IntegerDivisionTruncatesTowardZero()
    {
        var y = Run(Create<DivOperator>(13), Tensor.FromLongs([3], [7, -7, 224]), Tensor.FromLongs([1], [2]));
        AssertValues([3, -3, 112], y);
        Assert.Equal(TensorDataType.Int64, y.DataType);
        Assert.Equal(TensorDataType.Int64, Run(Create<MulOperator>(13), Tensor.FromLongs([1], [3]), Tensor.FromLongs([1], [2])).DataType);
        Assert.Equal(TensorDataType.Float32, Run(Create<DivOperator>(13), Tensor.FromLongs([1], [3]), T([1], 2)).DataType);
    }

    [Fact]
    public void LargeBroadcastMatchesNaiveLoop()
    {
        var rng = new Random(4);
        var a = Random(rng, 3, 40, 50);
        var b = Random(rng, 40, 1);
        var y = Run(Create<MulOperator>(13), a, b);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 40; j++)
                for (int k = 0; k < 50; k++)
                    Assert.Equal(a[i, j, k] * b[j, 0], y[i, j, k]);
        var z = Run(Create<SubOperator>(13), b, a);
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 50; k++)
                Assert.Equal(b[7, 0] - a[i, 7, k], z[i, 7, k]);
    }

    [Fact]
    public void BroadcastGradientsAreSummedToInputShape()
    {
        var op = Create<AddOperator>(13);
        Tensor?[] inputs = [T([2, 1], 10, 20), T([3], 1, 2, 3)];
        var grads = op.Backward(inputs, op.Forward(inputs), [T([2, 3], 1, 2, 3, 4, 5, 6)]);
        AssertTensor([2, 1], [6, 15], grads[0]!);
        AssertTensor([3], [5, 7, 9], grads[1]!);
    }

    [Fact]
    public void IntegerInputsGetNoGradient()
    {
        var op = Create<MulOperator>(13);
        Tensor?[] inputs = [T([2], 1, 2), Tensor.FromLongs([1], [3])];
        var grads = op.Backward(inputs, op.Forward(inputs), [T([2], 1, 1)]);
        AssertValues([3, 3], grads[0]!);
        Assert.Null(grads[1]);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new Random(8);
        GradientCheck.Check(Create<AddOperator>(13), [Random(rng, 2, 3, 1), Random(rng, 4)], [0, 1]);
        GradientCheck.Check(Create<SubOperator>(13), [Random(rng, 3, 1), Random(rng, 2, 1, 4)], [0, 1]);
        GradientCheck.Check(Create<MulOperator>(13), [Random(rng, 2, 3, 4), Random(rng, 3, 1)], [0, 1]);
        var denominator = RandomAwayFromZero(rng, 0.5f, 1, 4);
        GradientCheck.Check(Create<DivOperator>(13), [Random(rng, 3, 4), denominator], [0, 1], step: 1e-3);
    }
}
