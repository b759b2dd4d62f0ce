using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class ConcatTests
{
    [Fact]
    public void ConcatenatesAlongMiddleAndNegativeAxes()
    {
        var a = T([2, 1, 2], 1, 2, 3, 4);
        var b = T([2, 2, 2], 5, 6, 7, 8, 9, 10, 11, 12);
        AssertTensor([2, 3, 2], [1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12], Run(Create<ConcatOperator>(13, ("axis", 1L)), a, b));
        AssertTensor([2, 1, 4], [1, 2, 1, 2, 3, 4, 3, 4], Run(Create<ConcatOperator>(13, ("axis", -1L)), a, a));
    }

    [Fact]
    public void KeepsIntegerTagAndAcceptsEmptyParts()
    {
        var y = Run(Create<ConcatOperator>(13, ("axis", 0L)), Tensor.FromLongs([2], [1, 2]), Tensor.FromLongs([0], []), Tensor.FromLongs([1], [-1]));
        AssertValues([1, 2, -1], y);
        Assert.Equal(TensorDataType.Int64, y.DataType);
    }

    [Fact]
    public void MismatchedShapesThrow() =>
        Assert.Throws<ShapeMismatchException>(() => Run(Create<ConcatOperator>(13, ("axis", 1L)), new Tensor(2, 3), new Tensor(3, 3)));

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var rng = new Random(1);
        GradientCheck.Check(Create<ConcatOperator>(13, ("axis", 1L)), [Random(rng, 2, 1, 3), Random(rng, 2, 2, 3), Random(rng, 2, 3, 3)], [0, 1, 2]);
    }
}
