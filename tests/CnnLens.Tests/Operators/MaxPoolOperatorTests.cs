using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

public class MaxPoolOperatorTests
{
    private static MaxPoolOperator MaxPool(params (string, object)[] attributes) => new(TestTensors.Attributes(attributes), 12);

    private static Tensor Ramp(int h, int w)
    {
        var t = new Tensor(1, 1, h, w);
        for (int i = 0; i < t.Length; i++) t.Data[i] = i + 1;
        return t;
    }

    [Fact]
    public void TwoByTwoStrideTwoByHandWithIndices()
    {
        var x = Tensor.FromValues([1, 1, 4, 4], 1, 5, 2, 0, 3, 4, 8, 1, 9, 0, 1, 1, 0, 0, 1, 7);
        var outputs = MaxPool(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })).Forward([x]);
        Assert.Equal(new[] { 1, 1, 2, 2 }, outputs[0].ShapeArray);
        Assert.Equal(new float[] { 5, 8, 9, 7 }, outputs[0].Data);
        Assert.Equal(TensorDataType.Int64, outputs[1].DataType);
        Assert.Equal(new float[] { 1, 6, 8, 15 }, outputs[1].Data);
    }

    [Fact]
    public void CeilModeAddsAClippedLastWindow()
    {
        var x = Ramp(5, 5);
        var floor = MaxPool(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })).Forward([x])[0];
        Assert.Equal(new[] { 1, 1, 2, 2 }, floor.ShapeArray);
        var ceil = MaxPool(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }), ("ceil_mode", 1L)).Forward([x])[0];
        Assert.Equal(new[] { 1, 1, 3, 3 }, ceil.ShapeArray);
        Assert.Equal(new float[] { 7, 9, 10, 17, 19, 20, 22, 24, 25 }, ceil.Data);
    }

    [Fact]
    public void CeilModeDropsAWindowStartingInThePadding()
    {
        // Input 4, pads 1+1, kernel 2, stride 2: ceil((4+2-2)/2)+1 = 3 windows starting at -1, 1, 3; the last starts
        // at 3 < 4 + 1 (inside the image), so it stays.
        var x = Tensor.FromValues([1, 1, 4], 1, 2, 3, 4);
        var kept = MaxPool(("kernel_shape", new long[] { 2 }), ("strides", new long[] { 2 }), ("pads", new long[] { 1, 1 }), ("ceil_mode", 1L)).Forward([x])[0];
        Assert.Equal(new float[] { 1, 3, 4 }, kept.Data);
        // Input 2, pads 0+1, kernel 1, stride 2: ceil((3-1)/2)+1 = 2, but window 2 starts at 2 >= 2 + 0 (in the end pad): dropped.
        var dropped = MaxPool(("kernel_shape", new long[] { 1 }), ("strides", new long[] { 2 }), ("pads", new long[] { 0, 1 }), ("ceil_mode", 1L))
            .Forward([Tensor.FromValues([1, 1, 2], 5, 6)])[0];
        Assert.Equal(new[] { 1, 1, 1 }, dropped.ShapeArray);
        Assert.Equal(5f, dropped.Data[0]);
    }

    [Fact]
    public void PaddingNeverWinsAndDilationSkipsTaps()
    {
        var x = Tensor.FromValues([1, 1, 1, 3], -5, -6, -7);
        var padded = MaxPool(("kernel_shape", new long[] { 1, 3 }), ("pads", new long[] { 0, 1, 0, 1 })).Forward([x])[0];
        Assert.Equal(new float[] { -5, -5, -6 }, padded.Data);
        var dilated = MaxPool(("kernel_shape", new long[] { 1, 2 }), ("dilations", new long[] { 1, 2 }))
            .Forward([Tensor.FromValues([1, 1, 1, 4], 1, 9, 3, 2)])[0];
        // Windows {0,2} and {1,3}.
        Assert.Equal(new float[] { 3, 9 }, dilated.Data);
    }

    [Fact]
    public void AutoPadSameUpperKeepsCeilOfInputOverStride()
    {
        var x = Ramp(5, 5);
        var y = MaxPool(("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("auto_pad", "SAME_UPPER")).Forward([x])[0];
        Assert.Equal(new[] { 1, 1, 3, 3 }, y.ShapeArray);
        // Total pad = (3-1)*2+3-5 = 2: one each side; window centres at 0, 2, 4.
        Assert.Equal(new float[] { 7, 9, 10, 17, 19, 20, 22, 24, 25 }, y.Data);
    }

    [Fact]
    public void ResNetStemPoolMatchesNaiveLoop() // rows wide enough for the vector phase split, odd left pad
    {
        var random = new Random(11);
        var x = TestTensors.Random(random, 2, 3, 11, 70);
        var y = MaxPool(("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 })).Forward([x])[0];
        int oh = (11 + 2 - 3) / 2 + 1, ow = (70 + 2 - 3) / 2 + 1;
        Assert.Equal(new[] { 2, 3, oh, ow }, y.ShapeArray);
        var expected = new double[y.Length];
        for (int p = 0; p < 6; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double best = double.NegativeInfinity;
                    for (int a = 0; a < 3; a++)
                        for (int b = 0; b < 3; b++)
                        {
                            int r = 2 * i - 1 + a, c = 2 * j - 1 + b;
                            if (r >= 0 && r < 11 && c >= 0 && c < 70) best = Math.Max(best, x.Data[p * 770 + r * 70 + c]);
                        }
                    expected[(p * oh + i) * ow + j] = best;
                }
        TestTensors.AssertClose(expected, y.Data, 0);
    }

    [Fact]
    public void WideDilatedCeilModeMatchesNaiveLoopWithIndices()
    {
        var random = new Random(13);
        int h = 9, w = 41;
        var x = TestTensors.Random(random, 1, 2, h, w);
        var outputs = MaxPool(("kernel_shape", new long[] { 2, 3 }), ("strides", new long[] { 2, 2 }), ("dilations", new long[] { 2, 2 }),
            ("pads", new long[] { 1, 2, 1, 2 }), ("ceil_mode", 1L)).Forward([x]);
        // Height: span 9+2-3 = 8 -> ceil(8/2)+1 = 5; width: span 41+4-5 = 40 -> 21; no window starts in the end pad.
        int oh = 5, ow = 21;
        Assert.Equal(new[] { 1, 2, oh, ow }, outputs[0].ShapeArray);
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float best = float.NegativeInfinity;
                    int bestIndex = -1;
                    for (int a = 0; a < 2; a++)
                        for (int b = 0; b < 3; b++)
                        {
                            int r = 2 * i - 1 + 2 * a, c = 2 * j - 2 + 2 * b;
                            if (r < 0 || r >= h || c < 0 || c >= w) continue;
                            float v = x.Data[p * h * w + r * w + c];
                            if (bestIndex < 0 || v > best) { best = v; bestIndex = p * h * w + r * w + c; }
                        }
                    int o = (p * oh + i) * ow + j;
                    Assert.Equal(best, outputs[0].Data[o]);
                    Assert.Equal(bestIndex, (int)outputs[1].Data[o]);
                }
    }

    [Fact]
    public void NaNPropagates()
    {
        var x = Tensor.FromValues([1, 1, 1, 4], 1, float.NaN, 3, 4);
        var y = MaxPool(("kernel_shape", new long[] { 1, 2 }), ("strides", new long[] { 1, 2 })).Forward([x])[0];
        Assert.True(float.IsNaN(y.Data[0]));
        Assert.Equal(4f, y.Data[1]);
    }

    [Fact]
    public void BackwardSendsTiesToTheFirstIndex()
    {
        var x = Tensor.FromValues([1, 1, 2, 2], 3, 3, 3, 1);
        var op = MaxPool(("kernel_shape", new long[] { 2, 2 }));
        var outputs = op.Forward([x]);
        var dx = op.Backward([x], outputs, [Tensor.FromValues([1, 1, 1, 1], 2)])[0]!;
        Assert.Equal(new float[] { 2, 0, 0, 0 }, dx.Data);
    }

    [Fact]
    public void BackwardMatchesFiniteDifferences()
    {
        var random = new Random(12);
        var op = MaxPool(("kernel_shape", new long[] { 3, 2 }), ("strides", new long[] { 2, 1 }), ("pads", new long[] { 1, 0, 1, 1 }), ("ceil_mode", 1L));
        GradientCheck.Check(op, [TestTensors.DistinctRandom(random, 2, 2, 5, 4)], [0], step: 1e-3);
    }

    [Fact]
    public void WindowLargerThanInputIsAShapeError()
    {
        Assert.Throws<ShapeMismatchException>(() => MaxPool(("kernel_shape", new long[] { 3, 3 })).Forward([Ramp(2, 2)]));
    }
}
