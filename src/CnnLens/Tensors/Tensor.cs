using System.Runtime.CompilerServices;

namespace CnnLens.Tensors;

/// <summary>
/// A dense, contiguous, row-major float32 tensor (NCHW for images). Shape and data are owned by
/// the tensor; <see cref="Reshape"/> returns a view that shares the data.
/// </summary>
public sealed class Tensor
{
    private readonly int[] _shape;

    public Tensor(params int[] shape) : this(shape, new float[CheckedLength(shape)]) { }

    public Tensor(int[] shape, float[] data, TensorDataType dataType = TensorDataType.Float32)
    {
        long length = CheckedLength(shape);
        if (data.Length != length)
            throw new ShapeMismatchException($"tensor data has {data.Length} values but shape {ShapeString(shape)} needs {length}");
        _shape = (int[])shape.Clone();
        Data = data;
        DataType = dataType;
    }

    /// <summary>The values, row-major. Exactly <see cref="Length"/> long.</summary>
    public float[] Data { get; }

    public TensorDataType DataType { get; }

    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>A copy of the shape, for callers that need an array.</summary>
    public int[] ShapeArray => (int[])_shape.Clone();

    public int Rank => _shape.Length;

    public int Length => Data.Length;

    public Span<float> Span => Data;

    /// <summary>Size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[axis < 0 ? axis + _shape.Length : axis];

    public float this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    /// <summary>
    /// A tensor whose every value the caller is about to overwrite: rented from the current
    /// <see cref="TensorPoolScope"/> when a pass has one (contents then unspecified), else new zeros.
    /// </summary>
    public static Tensor Uninitialized(int[] shape, TensorDataType dataType = TensorDataType.Float32)
    {
        int length = CheckedLength(shape);
        return TensorPoolScope.Current is { } scope ? new Tensor(shape, scope.Rent(length), dataType) : new Tensor(shape, new float[length], dataType);
    }

    /// <summary>Zeros, rented from the current <see cref="TensorPoolScope"/> when there is one (for kernels that accumulate).</summary>
    public static Tensor Zeros(int[] shape)
    {
        if (TensorPoolScope.Current is null) return new Tensor(shape);
        var t = Uninitialized(shape);
        t.Data.AsSpan().Clear();
        return t;
    }

    public static Tensor Scalar(float value, TensorDataType dataType = TensorDataType.Float32) =>
        new([], [value], dataType);

    public static Tensor FromValues(int[] shape, params float[] values) => new(shape, values);

    public static Tensor FromLongs(int[] shape, ReadOnlySpan<long> values)
    {
        var data = new float[values.Length];
        for (int i = 0; i < values.Length; i++) data[i] = values[i];
        return new Tensor(shape, data, TensorDataType.Int64);
    }

    public static Tensor Filled(int[] shape, float value)
    {
        var t = new Tensor(shape);
        t.Data.AsSpan().Fill(value);
        return t;
    }

    /// <summary>A tensor with the same data and a new shape of equal length (no copy).</summary>
    public Tensor Reshape(params int[] shape) => new(shape, Data, DataType);

    /// <summary>The same values tagged with another element type (no copy).</summary>
    public Tensor WithDataType(TensorDataType dataType) => dataType == DataType ? this : new(_shape, Data, dataType);

    public Tensor Clone() => new(_shape, (float[])Data.Clone(), DataType);

    /// <summary>The values as integers (for shape, index and axis tensors).</summary>
    public long[] ToLongs()
    {
        var result = new long[Data.Length];
        for (int i = 0; i < result.Length; i++) result[i] = ToLong(Data[i]);
        return result;
    }

    /// <summary>Float-held integer to long, saturating so INT64_MAX-style sentinels stay huge.</summary>
    public static long ToLong(float value) =>
        float.IsNaN(value) ? 0 :
        value >= 9.2e18f ? long.MaxValue :
        value <= -9.2e18f ? long.MinValue :
        (long)value;

    public bool SameShape(Tensor other) => Shape.SequenceEqual(other.Shape);

    public override string ToString() => $"Tensor{ShapeString(_shape)}";

    public static string ShapeString(ReadOnlySpan<int> shape) => "[" + string.Join(",", shape.ToArray()) + "]";

    /// <summary>Number of values a shape holds; rejects negative sizes and anything over 2^31 values.</summary>
    public static int CheckedLength(ReadOnlySpan<int> shape)
    {
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ShapeMismatchException($"shape {ShapeString(shape)} has a negative dimension");
            length *= d;
            if (length > Array.MaxLength)
                throw new ShapeMismatchException($"shape {ShapeString(shape)} holds more values than one tensor can ({Array.MaxLength})");
        }
        return (int)length;
    }

    /// <summary>Row-major strides of a shape.</summary>
    public static int[] StridesOf(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Offset(int[] index)
    {
        if (index.Length != _shape.Length)
            throw new ArgumentException($"index of rank {index.Length} for a tensor of rank {_shape.Length}");
        int offset = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)_shape[i]) throw new IndexOutOfRangeException();
            offset = offset * _shape[i] + index[i];
        }
        return offset;
    }
}
