using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Tests.Operators;

/// <summary>Small helpers for operator tests: build an operator from attributes, make tensors, compare values.</summary>
public static class OperatorTestKit
{
    /// <summary>Creates operator <typeparamref name="T"/> with the given attributes (name, value) at an opset.</summary>
    public static T Create<T>(int opset, params (string Name, object Value)[] attributes) where T : Operator
    {
        var parsed = new OnnxAttributes();
        foreach (var (name, value) in attributes) parsed.Set(name, value);
        try
        {
            return (T)Activator.CreateInstance(typeof(T), parsed, opset)!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            // Surface the constructor's own exception, as OperatorRegistry does.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public static Tensor T(int[] shape, params float[] values) => Tensor.FromValues(shape, values);

    public static Tensor Longs(params long[] values) => Tensor.FromLongs([values.Length], values);

    public static Tensor Run(Operator op, params Tensor?[] inputs) => op.Forward(inputs)[0];

    public static void AssertValues(float[] expected, Tensor actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual.Data[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"value {i}: expected {expected[i]}, got {actual.Data[i]}");
    }

    public static void AssertTensor(int[] shape, float[] expected, Tensor actual, float tolerance = 1e-5f)
    {
        Assert.Equal(shape, actual.ShapeArray);
        AssertValues(expected, actual, tolerance);
    }

    /// <summary>Uniform values in [−1, 1) from a seeded generator.</summary>
    public static Tensor Random(Random rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    /// <summary>Random values with |x| in [margin, 1] so finite differences never straddle a kink at 0.</summary>
    public static Tensor RandomAwayFromZero(Random rng, float margin, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++)
        {
            float magnitude = margin + (float)rng.NextDouble() * (1 - margin);
            t.Data[i] = rng.Next(2) == 0 ? -magnitude : magnitude;
        }
        return t;
    }
}
