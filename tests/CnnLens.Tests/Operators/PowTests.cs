using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class PowTests
{
    [Fact]
    public void ScalarAndBroadcastExponents()
    {
        AssertValues([4, 9, 0.25f], Run(Create<PowOperator>(13), T([3], 2, -3, 0.5f), Tensor.Scalar(2)));
        AssertValues([2, 8, 3, 27], Run(Create<PowOperator>(13), T([2, 1], 2, 3), T([2], 1, 3)));
        AssertValues([3], Run(Create<PowOperator>(13), T([1], 9), Tensor.Scalar(0.5f)));
    }

    [Fact]
    public void ExponentGradientIsZeroAtZeroBase()
    {
        var op = Create<PowOperator>(13);
        Tensor?[] inputs = [T([2], 0, 2), T([2], 2, 3)];
        var grads = op.Backward(inputs, op.Forward(inputs), [T([2], 1, 1)]);
        AssertValues([0, 12], grads[0]!);
        AssertValues([0, 8 * MathF.Log(2)], grads[1]!);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var rng = new Random(3);
        var bases = new Tensor([2, 3]);
        for (int i = 0; i < bases.Length; i++) bases.Data[i] = 0.5f + (float)rng.NextDouble();
        GradientCheck.Check(Create<PowOperator>(13), [bases, Random(rng, 3)], [0, 1], step: 1e-3);
    }
}
