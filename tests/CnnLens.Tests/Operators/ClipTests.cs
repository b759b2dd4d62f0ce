using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class ClipTests
{
    [Fact]
    public void Opset6AttributesBound()
    {
        var y = Run(Create<ClipOperator>(6, ("min", 0f), ("max", 6f)), T([4], -1, 3, 6, 9));
        AssertValues([0, 3, 6, 6], y);
    }

    [Fact]
    public void Opset11InputsAreOptional()
    {
        var x = T([4], -1, 3, 6, 9);
        AssertValues([0, 3, 6, 9], Run(Create<ClipOperator>(11), x, Tensor.Scalar(0), null));
        AssertValues([-1, 3, 5, 5], Run(Create<ClipOperator>(13), x, null, Tensor.Scalar(5)));
        AssertValues([-1, 3, 6, 9], Run(Create<ClipOperator>(13), x));
    }

    [Fact]
    public void GradientPassesOnInclusiveBounds()
    {
        // torch.clamp's backward: gradient where min <= x <= max, so the bounds themselves pass it.
        var op = Create<ClipOperator>(13);
        Tensor?[] inputs = [T([5], -1, 0, 3, 6, 9), Tensor.Scalar(0), Tensor.Scalar(6)];
        var grads = op.Backward(inputs, op.Forward(inputs), [T([5], 1, 2, 3, 4, 5)]);
        AssertValues([0, 2, 3, 4, 0], grads[0]!);
        Assert.Null(grads[1]);
        Assert.Null(grads[2]);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<ClipOperator>(6, ("min", -0.5f), ("max", 0.5f)), [T([6], -0.9f, -0.3f, 0.1f, 0.45f, 0.7f, -0.6f)], [0], step: 1e-3);
}
