using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Operators;

public class LRNOperatorTests
{
    [Fact]
    public void WindowAndAlphaOverSizeScalingByHand()
    {
        var x = Tensor.FromValues([1, 3, 1, 1], 1, 2, 3);
        var op = new LRNOperator(TestTensors.Attributes(("size", 2L), ("alpha", 0.5f), ("beta", 1f), ("bias", 2f)), 13);
        var y = op.Forward([x])[0];
        // size 2: window is [c, c+1]; denominator = 2 + 0.5/2 * sum of squares.
        float[] expected = [1 / (2 + 0.25f * 5), 2 / (2 + 0.25f * 13), 3 / (2 + 0.25f * 9)];
        TestTensors.AssertClose(expected, y);
    }

    [Fact]
    public void CentredWindowWithFractionalBeta()
    {
        var x = Tensor.FromValues([1, 3, 1, 1], 1, 2, 3);
        var op = new LRNOperator(TestTensors.Attributes(("size", 3L), ("alpha", 3e-1f), ("beta", 0.75f), ("bias", 1f)), 13);
        var y = op.Forward([x])[0];
        // size 3: window [c-1, c+1].
        float[] expected = [1 / MathF.Pow(1 + 0.1f * 5, 0.75f), 2 / MathF.Pow(1 + 0.1f * 14, 0.75f), 3 / MathF.Pow(1 + 0.1f * 13, 0.75f)];
        TestTensors.AssertClose(expected, y);
    }

    [Fact]
    public void MissingSizeIsAModelError()
    {
        Assert.Throws<ModelLoadException>(() => new LRNOperator(TestTensors.Attributes(), 13));
    }

    [Theory]
    [InlineData(3L)]
    [InlineData(4L)]
    public void BackwardMatchesFiniteDifferences(long size)
    {
        var random = new Random((int)size);
        var op = new LRNOperator(TestTensors.Attributes(("size", size), ("alpha", 0.4f), ("beta", 0.75f), ("bias", 1.5f)), 13);
        GradientCheck.Check(op, [TestTensors.Random(random, 2, 5, 2, 3)], [0], step: 1e-3);
    }
}
