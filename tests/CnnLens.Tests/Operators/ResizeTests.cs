using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

/// <summary>Resize and Upsample; every expected value is derived by hand from the coordinate formulas in the comments.</summary>
public class ResizeTests
{
    private static readonly Tensor Square = T([1, 1, 2, 2], 1, 2, 3, 4);

    private static Tensor Scales(params float[] s) => T([s.Length], s);

    [Fact]
    public void NearestHalfPixelUpsamplesByTwo()
    {
        // x = (j + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → round → 0, 0, 1, 1
        var y = Run(Create<ResizeOperator>(13), Square, null, Scales(1, 1, 2, 2));
        AssertTensor([1, 1, 4, 4], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], y);
    }

    [Fact]
    public void NearestRoundingModesOnHalfwayPoints()
    {
        // 4 → 2 with half_pixel: x = (j + 0.5)·2 − 0.5 = 0.5, 2.5 exactly halfway.
        var x = T([1, 4], 1, 2, 3, 4);
        AssertValues([1, 3], Run(Create<ResizeOperator>(13), x, null, Scales(1, 0.5f)));
        AssertValues([2, 4], Run(Create<ResizeOperator>(13, ("nearest_mode", "round_prefer_ceil")), x, null, Scales(1, 0.5f)));
    }

    [Fact]
    public void NearestFloorAndCeilWithSizes()
    {
        // 3 → 5 asymmetric: scale 5/3, x = 3j/5 = 0, 0.6, 1.2, 1.8, 2.4
        var x = T([3], 10, 20, 30);
        AssertValues([10, 10, 20, 20, 30], Run(Create<ResizeOperator>(13, ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor")), x, null, null, Longs(5)));
        AssertValues([10, 20, 30, 30, 30], Run(Create<ResizeOperator>(13, ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "ceil")), x, null, null, Longs(5)));
        // tf_half_pixel_for_nn: x = (j + 0.5)·3/5 = 0.3, 0.9, 1.5, 2.1, 2.7 → round_prefer_floor 0, 1, 1, 2, 3→2
        AssertValues([10, 20, 20, 30, 30], Run(Create<ResizeOperator>(13, ("coordinate_transformation_mode", "tf_half_pixel_for_nn")), x, null, null, Longs(5)));
    }

    [Fact]
    public void LinearHalfPixelIsPyTorchBilinear()
    {
        // x = −0.25, 0.25, 0.75, 1.25 clamped to [0, 1] → weights 0, 0.25, 0.75, 1 between the two inputs.
        var y = Run(Create<ResizeOperator>(13, ("mode", "linear")), Square, Tensor.FromValues([0]), Scales(1, 1, 2, 2));
        AssertTensor([1, 1, 4, 4], [
            1, 1.25f, 1.75f, 2,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3, 3.25f, 3.75f, 4], y);
    }

    [Fact]
    public void LinearAlignCorners()
    {
        // 2 → 3: x = j·(2−1)/(3−1) = 0, 0.5, 1
        var y = Run(Create<ResizeOperator>(11, ("mode", "linear"), ("coordinate_transformation_mode", "align_corners")), Square, Tensor.FromValues([0]), Tensor.FromValues([0]), Longs(1, 1, 3, 3));
        AssertTensor([1, 1, 3, 3], [1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4], y);
    }

    [Fact]
    public void LinearAsymmetricAndOpset10()
    {
        // x = j/2 = 0, 0.5, 1, 1.5 → clamp 1
        var x = T([1, 2], 1, 2);
        AssertValues([1, 1.5f, 2, 2], Run(Create<ResizeOperator>(13, ("mode", "linear"), ("coordinate_transformation_mode", "asymmetric")), x, null, Scales(1, 2)));
        AssertValues([1, 1.5f, 2, 2], Run(Create<ResizeOperator>(10, ("mode", "linear")), x, Scales(1, 2)));
        // Opset 10 nearest samples floor(j/scale): 3 → 6 gives 0,0,1,1,2,2.
        AssertValues([1, 1, 2, 2, 3, 3], Run(Create<ResizeOperator>(10), T([3], 1, 2, 3), Scales(2)));
    }

    [Fact]
    public void PytorchHalfPixelSamplesFirstPixelForLengthOne()
    {
        var x = T([1, 2], 1, 3);
        // Output length 1: pytorch_half_pixel uses x = 0; half_pixel uses x = 0.5·2 − 0.5 = 0.5.
        AssertValues([1], Run(Create<ResizeOperator>(13, ("mode", "linear"), ("coordinate_transformation_mode", "pytorch_half_pixel")), x, null, null, Longs(1, 1)));
        AssertValues([2], Run(Create<ResizeOperator>(13, ("mode", "linear")), x, null, null, Longs(1, 1)));
    }

    [Fact]
    public void Opset18AxesAttribute()
    {
        var y = Run(Create<ResizeOperator>(18, ("axes", new long[] { -1 })), T([2, 2], 1, 2, 3, 4), null, Scales(2));
        AssertTensor([2, 4], [1, 1, 2, 2, 3, 3, 4, 4], y);
    }

    [Fact]
    public void UnsupportedModesThrow()
    {
        Assert.Throws<UnsupportedOperatorException>(() => Create<ResizeOperator>(13, ("mode", "cubic")));
        Assert.Throws<UnsupportedOperatorException>(() => Create<ResizeOperator>(13, ("coordinate_transformation_mode", "tf_crop_and_resize")));
    }

    [Fact]
    public void UpsampleOpset7AttributeAndOpset9Input()
    {
        // rows floor(j/2), columns floor(k/3)
        var y = Run(Create<UpsampleOperator>(7, ("scales", new float[] { 1, 1, 2, 3 })), Square);
        AssertTensor([1, 1, 4, 6], [
            1, 1, 1, 2, 2, 2,
            1, 1, 1, 2, 2, 2,
            3, 3, 3, 4, 4, 4,
            3, 3, 3, 4, 4, 4], y);
        AssertValues([1, 1.5f, 2, 2], Run(Create<UpsampleOperator>(9, ("mode", "linear")), T([2], 1, 2), Scales(2)));
    }

    [Fact]
    public void NearestBackwardSumsCopies()
    {
        var op = Create<ResizeOperator>(13);
        Tensor?[] inputs = [Square, null, Scales(1, 1, 2, 2)];
        var dy = Tensor.Filled([1, 1, 4, 4], 1);
        var dx = op.Backward(inputs, op.Forward(inputs), [dy])[0]!;
        AssertValues([4, 4, 4, 4], dx);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new Random(3);
        var x = Random(rng, 1, 2, 3, 4);
        GradientCheck.Check(Create<ResizeOperator>(13, ("mode", "linear")), [x, null, Scales(1, 1, 1.5f, 2)], [0]);
        GradientCheck.Check(Create<ResizeOperator>(13, ("mode", "linear"), ("coordinate_transformation_mode", "align_corners")), [x, null, null, Longs(1, 2, 5, 3)], [0]);
        GradientCheck.Check(Create<ResizeOperator>(13, ("mode", "linear"), ("coordinate_transformation_mode", "pytorch_half_pixel")), [x, null, null, Longs(1, 2, 2, 7)], [0]);
        GradientCheck.Check(Create<ResizeOperator>(13), [x, null, Scales(1, 1, 2, 0.5f)], [0]);
        GradientCheck.Check(Create<UpsampleOperator>(9, ("mode", "linear")), [x, Scales(1, 1, 2, 2)], [0]);
        GradientCheck.Check(Create<UpsampleOperator>(7, ("scales", new float[] { 1, 1, 2, 3 })), [x], [0]);
    }
}
