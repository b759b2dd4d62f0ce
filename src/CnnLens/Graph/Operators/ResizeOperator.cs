using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Resize with mode nearest or linear (N-linear, one separable pass per resized axis).
/// Opset 10 takes (X, scales) and samples asymmetrically (nearest rounds down, as Upsample);
/// opset 11+ takes (X, roi, scales, sizes) with coordinate_transformation_mode half_pixel (default),
/// pytorch_half_pixel, align_corners, asymmetric or tf_half_pixel_for_nn and the four
/// nearest_mode roundings; opset 18's <c>axes</c> attribute is honoured. Cubic, antialiasing,
/// tf_crop_and_resize and aspect-ratio policies are not supported. Backward is exact for both modes.
/// </summary>
[OnnxOperator("Resize")]
public sealed class ResizeOperator : Operator
{
    private readonly int _opset;
    private readonly bool _linear;
    private readonly CoordinateTransformation _coordinates;
    private readonly NearestRounding _rounding;
    private readonly long[]? _axes;

    public ResizeOperator(OnnxAttributes attributes, int opset)
    {
        _opset = opset;
        string mode = attributes.GetString("mode", "nearest");
        _linear = mode switch
        {
            "nearest" => false,
            "linear" or "bilinear" => true,
            _ => throw new UnsupportedOperatorException($"Resize mode '{mode}' is not supported (nearest, linear)"),
        };
        if (opset < 11)
        {
            _coordinates = CoordinateTransformation.Asymmetric;
            _rounding = NearestRounding.Floor;
        }
        else
        {
            string transform = attributes.GetString("coordinate_transformation_mode", "half_pixel");
            _coordinates = transform switch
            {
                "half_pixel" => CoordinateTransformation.HalfPixel,
                "pytorch_half_pixel" => CoordinateTransformation.PytorchHalfPixel,
                "align_corners" => CoordinateTransformation.AlignCorners,
                "asymmetric" => CoordinateTransformation.Asymmetric,
                "tf_half_pixel_for_nn" => CoordinateTransformation.TfHalfPixelForNearest,
                _ => throw new UnsupportedOperatorException($"Resize coordinate_transformation_mode '{transform}' is not supported"),
            };
            string nearest = attributes.GetString("nearest_mode", "round_prefer_floor");
            _rounding = nearest switch
            {
                "round_prefer_floor" => NearestRounding.RoundPreferFloor,
                "round_prefer_ceil" => NearestRounding.RoundPreferCeil,
                "floor" => NearestRounding.Floor,
                "ceil" => NearestRounding.Ceil,
                _ => throw new UnsupportedOperatorException($"Resize nearest_mode '{nearest}' is not supported"),
            };
        }
        if (attributes.GetInt("antialias", 0) != 0)
            throw new UnsupportedOperatorException("Resize with antialias=1 is not supported; export with antialias off");
        string policy = attributes.GetString("keep_aspect_ratio_policy", "stretch");
        if (policy != "stretch")
            throw new UnsupportedOperatorException($"Resize keep_aspect_ratio_policy '{policy}' is not supported (stretch only)");
        _axes = attributes.GetInts("axes");
    }

    private AxisResampling?[] Plan(Tensor?[] inputs, Tensor x)
    {
        Tensor? scalesTensor, sizesTensor = null;
        if (_opset < 11) scalesTensor = OperatorInputs.Required(inputs, 1, "Resize");
        else
        {
            scalesTensor = OperatorInputs.Optional(inputs, 2);
            sizesTensor = OperatorInputs.Optional(inputs, 3);
        }
        var axes = _axes is null ? Enumerable.Range(0, x.Rank).ToArray() : OperatorInputs.Axes(_axes, x.Rank, "Resize");
        var scales = new double[x.Rank];
        var sizes = x.ShapeArray;
        Array.Fill(scales, 1.0);
        if (sizesTensor is { Length: > 0 })
        {
            var given = sizesTensor.ToLongs();
            if (given.Length != axes.Length) throw new ShapeMismatchException($"Resize got {given.Length} sizes for {axes.Length} axes");
            for (int i = 0; i < axes.Length; i++)
            {
                sizes[axes[i]] = OperatorInputs.Dims([given[i]], "Resize")[0];
                scales[axes[i]] = x.Shape[axes[i]] == 0 ? 1 : (double)sizes[axes[i]] / x.Shape[axes[i]];
            }
        }
        else if (scalesTensor is { Length: > 0 })
        {
            if (scalesTensor.Length != axes.Length) throw new ShapeMismatchException($"Resize got {scalesTensor.Length} scales for {axes.Length} axes");
            for (int i = 0; i < axes.Length; i++)
            {
                double scale = scalesTensor.Data[i];
                if (!(scale > 0)) throw new ShapeMismatchException($"Resize scale {scale} must be positive");
                scales[axes[i]] = scale;
                sizes[axes[i]] = (int)Math.Floor(x.Shape[axes[i]] * scale);
            }
        }
        else throw new ShapeMismatchException("Resize needs either scales or sizes");
        return Passes(x, sizes, scales, _linear, _coordinates, _rounding);
    }

    /// <summary>One resampling pass per axis (nearest or linear) for the given output sizes and scales.</summary>
    internal static AxisResampling?[] Passes(Tensor x, int[] sizes, double[] scales, bool linear, CoordinateTransformation coordinates, NearestRounding rounding)
    {
        var passes = new AxisResampling?[x.Rank];
        for (int axis = 0; axis < x.Rank; axis++)
        {
            int n = x.Shape[axis], m = sizes[axis];
            if (n == m && scales[axis] == 1) continue;
            if (n == 0) throw new ShapeMismatchException($"Resize cannot resample the empty axis {axis}");
            passes[axis] = linear
                ? AxisResampling.Linear(n, m, scales[axis], coordinates)
                : AxisResampling.Nearest(n, m, scales[axis], coordinates, rounding);
        }
        return passes;
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Resize");
        return [AxisResampling.ApplyAll(x, Plan(inputs, x))];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        var x = OperatorInputs.Required(inputs, 0, "Resize");
        if (g is null || x.DataType != TensorDataType.Float32) return gradients;
        gradients[0] = AxisResampling.TransposeAll(g, Plan(inputs, x));
        return gradients;
    }
}
