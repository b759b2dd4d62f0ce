using System.Runtime.CompilerServices;

namespace CnnLens.Tensors;

/// <summary>How an output coordinate maps back to an input coordinate (ONNX Resize's coordinate_transformation_mode).</summary>
public enum CoordinateTransformation
{
    HalfPixel,
    PytorchHalfPixel,
    AlignCorners,
    Asymmetric,
    TfHalfPixelForNearest,
}

/// <summary>How a fractional source coordinate picks a pixel in nearest mode (ONNX nearest_mode).</summary>
public enum NearestRounding
{
    RoundPreferFloor,
    RoundPreferCeil,
    Floor,
    Ceil,
}

/// <summary>
/// Resampling of one axis: output j = (1 − w_j)·input[i0_j] + w_j·input[i1_j]. Nearest uses one tap
/// (w = 0); N-linear interpolation is the product of such passes, one per axis, because the linear
/// weights separate. The backward pass is the transpose of each pass.
/// </summary>
public sealed class AxisResampling
{
    private readonly int[] _first;
    private readonly int[] _second;
    private readonly float[] _weight;

    private AxisResampling(int inputLength, int[] first, int[] second, float[] weight)
    {
        InputLength = inputLength;
        _first = first;
        _second = second;
        _weight = weight;
    }

    public int InputLength { get; }

    public int OutputLength => _first.Length;

    /// <summary>True when the pass leaves the axis unchanged (and can be skipped).</summary>
    public bool IsIdentity
    {
        get
        {
            if (OutputLength != InputLength) return false;
            for (int j = 0; j < _first.Length; j++)
                if (_first[j] != j || (_weight[j] != 0 && _second[j] != j)) return false;
            return true;
        }
    }

    /// <summary>The input coordinate that output index <paramref name="j"/> samples.</summary>
    public static double SourceCoordinate(int j, int inputLength, int outputLength, double scale, CoordinateTransformation mode) => mode switch
    {
        CoordinateTransformation.HalfPixel => (j + 0.5) / scale - 0.5,
        CoordinateTransformation.PytorchHalfPixel => outputLength > 1 ? (j + 0.5) / scale - 0.5 : 0,
        CoordinateTransformation.AlignCorners => outputLength == 1 ? 0 : j * (double)(inputLength - 1) / (outputLength - 1),
        CoordinateTransformation.Asymmetric => j / scale,
        CoordinateTransformation.TfHalfPixelForNearest => (j + 0.5) / scale,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static AxisResampling Nearest(int inputLength, int outputLength, double scale, CoordinateTransformation mode, NearestRounding rounding)
    {
        var index = new int[outputLength];
        for (int j = 0; j < outputLength; j++)
        {
            double x = SourceCoordinate(j, inputLength, outputLength, scale, mode);
            double floor = Math.Floor(x);
            double picked = rounding switch
            {
                NearestRounding.Floor => floor,
                NearestRounding.Ceil => Math.Ceiling(x),
                NearestRounding.RoundPreferFloor => x - floor == 0.5 ? floor : Math.Round(x),
                _ => x - floor == 0.5 ? floor + 1 : Math.Round(x),
            };
            index[j] = (int)Math.Clamp(picked, 0, inputLength - 1);
        }
        return new AxisResampling(inputLength, index, index, new float[outputLength]);
    }

    public static AxisResampling Linear(int inputLength, int outputLength, double scale, CoordinateTransformation mode)
    {
        var first = new int[outputLength];
        var second = new int[outputLength];
        var weight = new float[outputLength];
        for (int j = 0; j < outputLength; j++)
        {
            // Coordinates outside the input take the edge value (clamping, as ONNX and PyTorch do).
            double x = Math.Clamp(SourceCoordinate(j, inputLength, outputLength, scale, mode), 0, inputLength - 1);
            int i0 = (int)Math.Floor(x);
            first[j] = i0;
            second[j] = Math.Min(i0 + 1, inputLength - 1);
            weight[j] = (float)(x - i0);
        }
        return new AxisResampling(inputLength, first, second, weight);
    }

    /// <summary>Resamples axis <paramref name="axis"/> of x (its length must be <see cref="InputLength"/>).</summary>
    public Tensor Apply(Tensor x, int axis)
    {
        var shape = x.ShapeArray;
        shape[axis] = OutputLength;
        var result = new Tensor(shape, new float[Tensor.CheckedLength(shape)], x.DataType);
        int outer = Product(shape, 0, axis), inner = Product(shape, axis + 1, shape.Length);
        float[] src = x.Data, dst = result.Data;
        int n = InputLength, m = OutputLength;
        Parallelism.For(outer, (o0, o1) => ApplyRows(src, dst, o0, o1, n, m, inner), costPerItem: 3.0 * m * inner);
        return result;
    }

    /// <summary>The transpose of <see cref="Apply"/>: input gradient from the output gradient along <paramref name="axis"/>.</summary>
    public Tensor Transpose(Tensor outputGradient, int axis)
    {
        var shape = outputGradient.ShapeArray;
        shape[axis] = InputLength;
        var result = new Tensor(shape);
        int outer = Product(shape, 0, axis), inner = Product(shape, axis + 1, shape.Length);
        float[] src = outputGradient.Data, dst = result.Data;
        int n = InputLength, m = OutputLength;
        // Parallel over the outer index only: different outer rows never write the same place.
        Parallelism.For(outer, (o0, o1) => TransposeRows(src, dst, o0, o1, n, m, inner), costPerItem: 3.0 * m * inner);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ApplyRows(float[] src, float[] dst, int o0, int o1, int n, int m, int inner)
    {
        if (inner == 1)
        {
            // Resampling the last axis: one value per tap.
            for (int o = o0; o < o1; o++)
            {
                int s = o * n, d = o * m;
                for (int j = 0; j < m; j++)
                {
                    float a = src[s + _first[j]];
                    dst[d + j] = a + _weight[j] * (src[s + _second[j]] - a);
                }
            }
            return;
        }
        for (int o = o0; o < o1; o++)
            for (int j = 0; j < m; j++)
            {
                var dRow = dst.AsSpan((o * m + j) * inner, inner);
                var a = src.AsSpan((o * n + _first[j]) * inner, inner);
                float w = _weight[j];
                if (w == 0) a.CopyTo(dRow);
                else
                {
                    // d = a + w·(b − a) as two SIMD passes.
                    Elementwise.BinaryContiguous<SubtractOperation>(src.AsSpan((o * n + _second[j]) * inner, inner), a, dRow);
                    for (int k = 0; k < inner; k++) dRow[k] = a[k] + w * dRow[k];
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransposeRows(float[] src, float[] dst, int o0, int o1, int n, int m, int inner)
    {
        for (int o = o0; o < o1; o++)
            for (int j = 0; j < m; j++)
            {
                float w = _weight[j];
                if (inner == 1)
                {
                    float g = src[o * m + j];
                    dst[o * n + _first[j]] += (1 - w) * g;
                    if (w != 0) dst[o * n + _second[j]] += w * g;
                    continue;
                }
                var gRow = src.AsSpan((o * m + j) * inner, inner);
                var a = dst.AsSpan((o * n + _first[j]) * inner, inner);
                if (w == 0) Elementwise.AddInPlace(a, gRow);
                else
                {
                    var b = dst.AsSpan((o * n + _second[j]) * inner, inner);
                    for (int k = 0; k < inner; k++)
                    {
                        a[k] += (1 - w) * gRow[k];
                        b[k] += w * gRow[k];
                    }
                }
            }
    }

    /// <summary>Resamples every axis with a non-identity pass, in order.</summary>
    public static Tensor ApplyAll(Tensor x, AxisResampling?[] passes)
    {
        var current = x;
        for (int axis = 0; axis < passes.Length; axis++)
            if (passes[axis] is { IsIdentity: false } pass) current = pass.Apply(current, axis);
        return ReferenceEquals(current, x) ? x.Clone() : current;
    }

    /// <summary>The gradient of <see cref="ApplyAll"/>: transposed passes in reverse order.</summary>
    public static Tensor TransposeAll(Tensor outputGradient, AxisResampling?[] passes)
    {
        var current = outputGradient;
        for (int axis = passes.Length - 1; axis >= 0; axis--)
            if (passes[axis] is { IsIdentity: false } pass) current = pass.Transpose(current, axis);
        return ReferenceEquals(current, outputGradient) ? outputGradient.Clone() : current;
    }

    private static int Product(int[] shape, int start, int end)
    {
        int p = 1;
        for (int i = start; i < end; i++) p *= shape[i];
        return p;
    }
}
