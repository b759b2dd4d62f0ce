using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Checks and conversions shared by the operators: required inputs, axes, integer lists.</summary>
internal static class OperatorInputs
{
    public static Tensor Required(Tensor?[] inputs, int index, string opType) =>
        (index < inputs.Length ? inputs[index] : null)
        ?? throw new ShapeMismatchException($"{opType} needs input {index}, which is missing; check the model");

    public static Tensor? Optional(Tensor?[] inputs, int index) => index < inputs.Length ? inputs[index] : null;

    /// <summary>An axis in [−rank, rank) made non-negative.</summary>
    public static int Axis(long axis, int rank, string opType)
    {
        if (axis < -rank || axis >= rank)
            throw new ShapeMismatchException($"{opType} axis {axis} is out of range for a tensor of rank {rank}");
        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>Several axes made non-negative; duplicates are an error.</summary>
    public static int[] Axes(ReadOnlySpan<long> axes, int rank, string opType)
    {
        var result = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            result[i] = Axis(axes[i], rank, opType);
            for (int j = 0; j < i; j++)
                if (result[j] == result[i]) throw new ShapeMismatchException($"{opType} lists axis {axes[i]} twice");
        }
        return result;
    }

    /// <summary>A shape given as integers, checked to fit in int.</summary>
    public static int[] Dims(ReadOnlySpan<long> values, string opType)
    {
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < 0 || values[i] > int.MaxValue)
                throw new ShapeMismatchException($"{opType} got dimension {values[i]}, which is not a valid size");
            result[i] = (int)values[i];
        }
        return result;
    }

    /// <summary>Product of shape[start..end).</summary>
    public static int Product(ReadOnlySpan<int> shape, int start, int end)
    {
        int p = 1;
        for (int i = start; i < end; i++) p *= shape[i];
        return p;
    }

    /// <summary>A gradient list of the given length with nothing in it (non-differentiable inputs).</summary>
    public static Tensor?[] NoGradients(int count) => new Tensor?[count];

    /// <summary>The shared result type of arithmetic: integer stays integer only when both operands are.</summary>
    public static TensorDataType ArithmeticType(Tensor a, Tensor b) =>
        a.DataType == TensorDataType.Int64 && b.DataType != TensorDataType.Float32 ? TensorDataType.Int64
        : a.DataType == TensorDataType.Float32 || b.DataType == TensorDataType.Float32 ? TensorDataType.Float32
        : a.DataType;
}
