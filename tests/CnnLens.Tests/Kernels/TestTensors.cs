using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Tests.Kernels;

/// <summary>Random tensors and attribute sets for the kernel and operator tests.</summary>
internal static class TestTensors
{
    public static Tensor Random(Random random, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(random.NextDouble() * 2 - 1);
        return t;
    }

    /// <summary>Distinct values (a shuffled ramp) so max-pool windows have no ties within a finite-difference step.</summary>
    public static Tensor DistinctRandom(Random random, params int[] shape)
    {
        var t = new Tensor(shape);
        var order = Enumerable.Range(0, t.Length).OrderBy(_ => random.Next()).ToArray();
        for (int i = 0; i < t.Length; i++) t.Data[i] = 0.1f * order[i] - 0.05f * t.Length;
        return t;
    }

    public static OnnxAttributes Attributes(params (string Name, object Value)[] values)
    {
        var attributes = new OnnxAttributes();
        foreach (var (name, value) in values) attributes.Set(name, value);
        return attributes;
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: got {actual[i]}, expected {expected[i]}");
    }

    public static void AssertClose(float[] expected, Tensor actual, double tolerance = 1e-5) =>
        AssertClose(expected.Select(v => (double)v).ToArray(), actual.Data, tolerance);
}
