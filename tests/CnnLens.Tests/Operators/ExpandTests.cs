using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class ExpandTests
{
    [Fact]
    public void ExpandsBidirectionally()
    {
        var y = Run(Create<ExpandOperator>(13), T([3, 1], 1, 2, 3), Longs(2, 1, 2));
        AssertTensor([2, 3, 2], [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3], y);
        // A 1 in the requested shape keeps the input's size.
        Assert.Equal([3, 4], Run(Create<ExpandOperator>(13), new Tensor(3, 1), Longs(1, 4)).ShapeArray);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<ExpandOperator>(13), [Random(new Random(1), 2, 1), Longs(3, 2, 4)], [0]);
}
