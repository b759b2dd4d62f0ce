using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

/// <summary>The variadic Sum, Min and Max.</summary>
public class SumMinMaxTests
{
    [Fact]
    public void SumOfThreeBroadcastInputs()
    {
        var y = Run(Create<SumOperator>(13), T([2, 1], 1, 2), T([2], 10, 20), Tensor.Scalar(100));
        AssertTensor([2, 2], [111, 121, 112, 122], y);
        AssertValues([5], Run(Create<SumOperator>(13), T([1], 5)));
    }

    [Fact]
    public void MinAndMaxBroadcast()
    {
        AssertValues([1, 3, 2, 2], Run(Create<MinOperator>(13), T([2, 2], 1, 5, 2, 4), T([2], 3, 3), T([2, 1], 9, 2)));
        AssertValues([3, 5, 3, 4], Run(Create<MaxOperator>(13), T([2, 2], 1, 5, 2, 4), T([2], 3, 3)));
    }

    [Fact]
    public void TiedMaximumSharesTheGradient()
    {
        var op = Create<MaxOperator>(13);
        Tensor?[] inputs = [T([3], 1, 2, 3), T([3], 1, 5, 0)];
        var grads = op.Backward(inputs, op.Forward(inputs), [T([3], 4, 4, 4)]);
        AssertValues([2, 0, 4], grads[0]!);
        AssertValues([2, 4, 0], grads[1]!);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new Random(6);
        GradientCheck.Check(Create<SumOperator>(13), [Random(rng, 2, 3), Random(rng, 3), Random(rng, 2, 1)], [0, 1, 2]);
        // Distinct values (random) so no tie sits within a finite-difference step.
        GradientCheck.Check(Create<MaxOperator>(13), [Random(rng, 2, 3), Random(rng, 3), Random(rng, 2, 1)], [0, 1, 2], step: 1e-4, tolerance: 3e-2);
        GradientCheck.Check(Create<MinOperator>(13), [Random(rng, 2, 3), Random(rng, 2, 3)], [0, 1], step: 1e-4, tolerance: 3e-2);
    }
}
