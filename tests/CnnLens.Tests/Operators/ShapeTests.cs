using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

/// <summary>Shape, Size, Constant, ConstantOfShape, Range and Cast: the shape sub-graph operators.</summary>
public class ShapeTests
{
    [Fact]
    public void ShapeIsInt64WithOptionalRange()
    {
        var x = new Tensor(1, 3, 5, 7);
        var op = Create<ShapeOperator>(13);
        Assert.True(op.IsShapeOperator);
        var shape = Run(op, x);
        Assert.Equal(TensorDataType.Int64, shape.DataType);
        AssertTensor([4], [1, 3, 5, 7], shape);
        AssertValues([5, 7], Run(Create<ShapeOperator>(15, ("start", -2L)), x));
        AssertValues([3], Run(Create<ShapeOperator>(15, ("start", 1L), ("end", -2L)), x));
        AssertValues([], Run(Create<ShapeOperator>(15, ("start", 10L)), x));
    }

    [Fact]
    public void SizeIsInt64Scalar()
    {
        var size = Run(Create<SizeOperator>(13), new Tensor(2, 3, 4));
        Assert.Equal([], size.ShapeArray);
        Assert.Equal(TensorDataType.Int64, size.DataType);
        AssertValues([24], size);
    }

    [Fact]
    public void ConstantFromEachAttributeForm()
    {
        var tensor = T([2], 1.5f, 2.5f);
        Assert.Same(tensor, Run(Create<ConstantOperator>(13, ("value", tensor))));
        AssertValues([0.25f], Run(Create<ConstantOperator>(13, ("value_float", 0.25f))));
        AssertTensor([3], [1, 2, 3], Run(Create<ConstantOperator>(13, ("value_floats", new float[] { 1, 2, 3 }))));
        var integer = Run(Create<ConstantOperator>(13, ("value_int", 4L)));
        Assert.Equal(TensorDataType.Int64, integer.DataType);
        Assert.Equal([], integer.ShapeArray);
        var ints = Run(Create<ConstantOperator>(13, ("value_ints", new long[] { -1, 7 })));
        Assert.Equal(TensorDataType.Int64, ints.DataType);
        AssertValues([-1, 7], ints);
        Assert.Throws<UnsupportedOperatorException>(() => Create<ConstantOperator>(13, ("value_string", "x")));
    }

    [Fact]
    public void ConstantOfShapeFillsWithValueAndType()
    {
        var zeros = Run(Create<ConstantOfShapeOperator>(9), Longs(2, 3));
        AssertTensor([2, 3], new float[6], zeros);
        var ones = Run(Create<ConstantOfShapeOperator>(9, ("value", Tensor.FromLongs([1], [1]))), Longs(3));
        Assert.Equal(TensorDataType.Int64, ones.DataType);
        AssertValues([1, 1, 1], ones);
    }

    [Fact]
    public void RangeCountsUpAndDown()
    {
        var up = Run(Create<RangeOperator>(11), Tensor.Scalar(0, TensorDataType.Int64), Tensor.Scalar(5, TensorDataType.Int64), Tensor.Scalar(2, TensorDataType.Int64));
        AssertValues([0, 2, 4], up);
        Assert.Equal(TensorDataType.Int64, up.DataType);
        AssertValues([10, 7, 4], Run(Create<RangeOperator>(11), Tensor.Scalar(10), Tensor.Scalar(1), Tensor.Scalar(-3)));
        AssertValues([], Run(Create<RangeOperator>(11), Tensor.Scalar(3), Tensor.Scalar(1), Tensor.Scalar(1)));
    }

    [Fact]
    public void CastTruncatesNormalisesAndTags()
    {
        var x = T([4], -1.7f, 0, 2.9f, 0.2f);
        var ints = Run(Create<CastOperator>(13, ("to", 7L)), x);
        Assert.Equal(TensorDataType.Int64, ints.DataType);
        AssertValues([-1, 0, 2, 0], ints);
        var int32 = Run(Create<CastOperator>(13, ("to", 6L)), x);
        Assert.Equal(TensorDataType.Int64, int32.DataType);
        var bools = Run(Create<CastOperator>(13, ("to", 9L)), x);
        Assert.Equal(TensorDataType.Bool, bools.DataType);
        AssertValues([1, 0, 1, 1], bools);
        var floats = Run(Create<CastOperator>(13, ("to", 1L)), Tensor.FromLongs([2], [3, 4]));
        Assert.Equal(TensorDataType.Float32, floats.DataType);
        AssertValues([3, 4], floats);
        Assert.Throws<UnsupportedOperatorException>(() => Create<CastOperator>(13, ("to", 8L)));
    }

    [Fact]
    public void CastGradientPassesOnlyBetweenFloats()
    {
        var op = Create<CastOperator>(13, ("to", 1L));
        var x = T([2], 1, 2);
        var g = T([2], 3, 4);
        Assert.Same(g, op.Backward([x], op.Forward([x]), [g])[0]);
        var toInt = Create<CastOperator>(13, ("to", 7L));
        Assert.Null(toInt.Backward([x], toInt.Forward([x]), [g])[0]);
    }
}
