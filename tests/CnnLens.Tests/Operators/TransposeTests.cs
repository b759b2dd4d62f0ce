using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class TransposeTests
{
    [Fact]
    public void DefaultReversesAxes()
    {
        var y = Run(Create<TransposeOperator>(13), T([2, 3], 1, 2, 3, 4, 5, 6));
        AssertTensor([3, 2], [1, 4, 2, 5, 3, 6], y);
    }

    [Fact]
    public void PermutationMatchesNaiveIndexing()
    {
        var x = Random(new Random(1), 2, 3, 4, 5);
        int[] perm = [0, 2, 3, 1];
        var y = Run(Create<TransposeOperator>(13, ("perm", new long[] { 0, 2, 3, 1 })), x);
        Assert.Equal([2, 4, 5, 3], y.ShapeArray);
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 3; b++)
                for (int c = 0; c < 4; c++)
                    for (int d = 0; d < 5; d++)
                        Assert.Equal(x[a, b, c, d], y[a, c, d, b]);
        // Last axis kept in place: rows are copied whole.
        var z = Run(Create<TransposeOperator>(13, ("perm", new long[] { 1, 0, 2, 3 })), x);
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 3; b++)
                for (int d = 0; d < 5; d++)
                    Assert.Equal(x[a, b, 2, d], z[b, a, 2, d]);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<TransposeOperator>(13, ("perm", new long[] { 2, 0, 1 })), [Random(new Random(2), 2, 3, 4)], [0]);
}
