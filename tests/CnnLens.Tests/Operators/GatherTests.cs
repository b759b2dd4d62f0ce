using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class GatherTests
{
    private static readonly Tensor Grid = T([3, 2], 1, 2, 3, 4, 5, 6);

    [Fact]
    public void Axis0WithMatrixIndices()
    {
        var y = Run(Create<GatherOperator>(13), Grid, Tensor.FromLongs([2, 2], [0, 1, 1, 2]));
        AssertTensor([2, 2, 2], [1, 2, 3, 4, 3, 4, 5, 6], y);
    }

    [Fact]
    public void Axis1NegativeAndScalarIndices()
    {
        AssertTensor([3, 1], [2, 4, 6], Run(Create<GatherOperator>(13, ("axis", 1L)), Grid, Tensor.FromLongs([1], [-1])));
        AssertTensor([2], [3, 4], Run(Create<GatherOperator>(11), Grid, Tensor.Scalar(1, TensorDataType.Int64)));
        // Shape-subgraph use: pick dim 1 of a shape tensor, keeping the Int64 tag.
        var dim = Run(Create<GatherOperator>(13), Tensor.FromLongs([4], [1, 3, 224, 224]), Tensor.Scalar(1, TensorDataType.Int64));
        Assert.Equal(TensorDataType.Int64, dim.DataType);
        Assert.Equal([], dim.ShapeArray);
        AssertValues([3], dim);
    }

    [Fact]
    public void OutOfRangeIndexThrows() =>
        Assert.Throws<ShapeMismatchException>(() => Run(Create<GatherOperator>(13), Grid, Tensor.FromLongs([1], [3])));

    [Fact]
    public void BackwardScatterAddsRepeatedIndices()
    {
        var op = Create<GatherOperator>(13, ("axis", 1L));
        Tensor?[] inputs = [Grid, Tensor.FromLongs([3], [1, 1, 0])];
        var grads = op.Backward(inputs, op.Forward(inputs), [T([3, 3], 1, 2, 3, 4, 5, 6, 7, 8, 9)]);
        AssertValues([3, 3, 6, 9, 9, 15], grads[0]!);
        Assert.Null(grads[1]);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(Create<GatherOperator>(13, ("axis", -2L)), [Random(new Random(3), 2, 4, 3), Tensor.FromLongs([2, 2], [3, -1, 0, 2])], [0]);
}
