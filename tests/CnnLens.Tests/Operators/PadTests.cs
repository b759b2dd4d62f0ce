using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

public class PadTests
{
    private static readonly Tensor Row = T([1, 3], 1, 2, 3);

    [Fact]
    public void Opset2AttributesConstant()
    {
        var y = Run(Create<PadOperator>(2, ("pads", new long[] { 0, 2, 1, 1 }), ("value", 9f)), Row);
        AssertTensor([2, 6], [9, 9, 1, 2, 3, 9, 9, 9, 9, 9, 9, 9], y);
    }

    [Fact]
    public void Opset11ReflectAndEdge()
    {
        var pads = Longs(0, 2, 0, 3);
        AssertTensor([1, 8], [3, 2, 1, 2, 3, 2, 1, 2], Run(Create<PadOperator>(11, ("mode", "reflect")), Row, pads));
        AssertTensor([1, 8], [1, 1, 1, 2, 3, 3, 3, 3], Run(Create<PadOperator>(11, ("mode", "edge")), Row, pads));
        AssertTensor([1, 8], [0, 0, 1, 2, 3, 0, 0, 0], Run(Create<PadOperator>(13), Row, pads));
        AssertTensor([1, 8], [-1, -1, 1, 2, 3, -1, -1, -1], Run(Create<PadOperator>(13), Row, pads, Tensor.Scalar(-1)));
    }

    [Fact]
    public void NegativePadsCrop() =>
        AssertTensor([1, 2], [2, 3], Run(Create<PadOperator>(13), Row, Longs(0, -1, 0, 0)));

    [Fact]
    public void Opset18AxesInput()
    {
        var y = Run(Create<PadOperator>(18), T([2, 2], 1, 2, 3, 4), Longs(1, 0), null, Longs(-2));
        AssertTensor([3, 2], [0, 0, 1, 2, 3, 4], y);
    }

    [Fact]
    public void ReflectGradientAccumulatesMirroredPositions()
    {
        var op = Create<PadOperator>(11, ("mode", "reflect"));
        Tensor?[] inputs = [Row, Longs(0, 2, 0, 0)];
        var grads = op.Backward(inputs, op.Forward(inputs), [T([1, 5], 1, 10, 100, 1000, 10000)]);
        // Output [3,2,1,2,3] reads input indices [2,1,0,1,2].
        AssertValues([100, 1010, 10001], grads[0]!);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new Random(5);
        var x = Random(rng, 1, 2, 3, 3);
        GradientCheck.Check(Create<PadOperator>(13), [x, Longs(0, 0, 1, 2, 0, 0, 2, 1)], [0]);
        GradientCheck.Check(Create<PadOperator>(13, ("mode", "reflect")), [x, Longs(0, 0, 2, 1, 0, 0, 1, 2)], [0]);
        GradientCheck.Check(Create<PadOperator>(13, ("mode", "edge")), [x, Longs(0, 1, 2, 0, 0, 0, 1, 3)], [0]);
    }
}
