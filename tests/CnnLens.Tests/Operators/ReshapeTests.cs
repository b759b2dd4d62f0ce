using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

/// <summary>Reshape, Flatten, Squeeze, Unsqueeze, Identity and Dropout: shape-only operators that share data.</summary>
public class ReshapeTests
{
    [Fact]
    public void ReshapeCopiesZerosAndInfersMinusOne()
    {
        var x = new Tensor(2, 3, 4);
        var y = Run(Create<ReshapeOperator>(13), x, Longs(0, -1));
        Assert.Equal([2, 12], y.ShapeArray);
        Assert.Same(x.Data, y.Data);
        Assert.Equal([4, 3, 2], Run(Create<ReshapeOperator>(5), x, Longs(-1, 3, 2)).ShapeArray);
        Assert.Equal([2, 3, 2, 2], Run(Create<ReshapeOperator>(14), x, Longs(0, 0, 2, -1)).ShapeArray);
    }

    [Fact]
    public void AllowZeroKeepsLiteralZero()
    {
        var y = Run(Create<ReshapeOperator>(14, ("allowzero", 1L)), new Tensor(0, 3), Longs(3, 0));
        Assert.Equal([3, 0], y.ShapeArray);
    }

    [Fact]
    public void BadShapesThrow()
    {
        Assert.Throws<ShapeMismatchException>(() => Run(Create<ReshapeOperator>(13), new Tensor(2, 3), Longs(4, -1)));
        Assert.Throws<ShapeMismatchException>(() => Run(Create<ReshapeOperator>(13), new Tensor(2, 3), Longs(-1, -1)));
    }

    [Fact]
    public void FlattenAtAxes()
    {
        var x = new Tensor(2, 3, 4, 5);
        Assert.Equal([2, 60], Run(Create<FlattenOperator>(13), x).ShapeArray);
        Assert.Equal([1, 120], Run(Create<FlattenOperator>(13, ("axis", 0L)), x).ShapeArray);
        Assert.Equal([24, 5], Run(Create<FlattenOperator>(13, ("axis", -1L)), x).ShapeArray);
        Assert.Equal([120, 1], Run(Create<FlattenOperator>(13, ("axis", 4L)), x).ShapeArray);
    }

    [Fact]
    public void SqueezeAttributeInputAndAll()
    {
        var x = new Tensor(1, 3, 1, 2);
        Assert.Equal([3, 1, 2], Run(Create<SqueezeOperator>(11, ("axes", new long[] { 0 })), x).ShapeArray);
        Assert.Equal([1, 3, 2], Run(Create<SqueezeOperator>(13), x, Longs(-2)).ShapeArray);
        Assert.Equal([3, 2], Run(Create<SqueezeOperator>(13), x).ShapeArray);
        Assert.Throws<ShapeMismatchException>(() => Run(Create<SqueezeOperator>(13), x, Longs(1)));
    }

    [Fact]
    public void UnsqueezeAttributeAndInputWithNegativeAxes()
    {
        var x = new Tensor(3, 4);
        Assert.Equal([1, 3, 4, 1], Run(Create<UnsqueezeOperator>(11, ("axes", new long[] { 0, 3 })), x).ShapeArray);
        Assert.Equal([3, 4, 1], Run(Create<UnsqueezeOperator>(13), x, Longs(-1)).ShapeArray);
        Assert.Equal([1, 3, 1, 4], Run(Create<UnsqueezeOperator>(13), x, Longs(2, 0)).ShapeArray);
        var scalar = Run(Create<UnsqueezeOperator>(13), Tensor.Scalar(7, TensorDataType.Int64), Longs(0));
        Assert.Equal([1], scalar.ShapeArray);
        Assert.Equal(TensorDataType.Int64, scalar.DataType);
    }

    [Fact]
    public void IdentityAndDropoutPassThrough()
    {
        var x = T([2], 1, 2);
        Assert.Same(x.Data, Run(Create<IdentityOperator>(13), x).Data);
        var dropout = Create<DropoutOperator>(13).Forward([x, Tensor.Scalar(0.5f), null]);
        Assert.Same(x.Data, dropout[0].Data);
        Assert.Equal(TensorDataType.Bool, dropout[1].DataType);
        AssertValues([1, 1], dropout[1]);
        var single = Create<DropoutOperator>(7);
        single.SetOutputCount(1);
        Assert.Single(single.Forward([x]));
    }

    [Fact]
    public void GradientsReshapeBack()
    {
        var rng = new Random(4);
        GradientCheck.Check(Create<ReshapeOperator>(13), [Random(rng, 2, 3, 2), Longs(3, -1)], [0]);
        GradientCheck.Check(Create<FlattenOperator>(13, ("axis", 2L)), [Random(rng, 2, 3, 2)], [0]);
        GradientCheck.Check(Create<SqueezeOperator>(13), [Random(rng, 2, 1, 3), Longs(1)], [0]);
        GradientCheck.Check(Create<UnsqueezeOperator>(13), [Random(rng, 2, 3), Longs(1)], [0]);
        GradientCheck.Check(Create<IdentityOperator>(13), [Random(rng, 4)], [0]);
        GradientCheck.Check(Create<DropoutOperator>(12), [Random(rng, 4)], [0]);
    }
}
