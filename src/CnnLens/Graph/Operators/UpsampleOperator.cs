using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// The deprecated Upsample: scales attribute (opset 7) or input 1 (opset 9), output size
/// floor(size·scale), asymmetric sampling; nearest takes floor(j/scale), linear interpolates
/// (edge-clamped). Backward is exact for both modes.
/// </summary>
[OnnxOperator("Upsample")]
public sealed class UpsampleOperator : Operator
{
    private readonly int _opset;
    private readonly bool _linear;
    private readonly float[]? _scalesAttribute;

    public UpsampleOperator(OnnxAttributes attributes, int opset)
    {
        _opset = opset;
        string mode = attributes.GetString("mode", "nearest");
        _linear = mode switch
        {
            "nearest" => false,
            "linear" or "bilinear" => true,
            _ => throw new UnsupportedOperatorException($"Upsample mode '{mode}' is not supported (nearest, linear)"),
        };
        if (opset < 9)
            _scalesAttribute = attributes.GetFloats("scales") ?? throw new ModelLoadException("Upsample has no 'scales' attribute; re-export the model");
    }

    private AxisResampling?[] Plan(Tensor?[] inputs, Tensor x)
    {
        var scaleValues = _opset < 9 ? _scalesAttribute! : OperatorInputs.Required(inputs, 1, "Upsample").Data;
        if (scaleValues.Length != x.Rank) throw new ShapeMismatchException($"Upsample got {scaleValues.Length} scales for a tensor of rank {x.Rank}");
        var scales = new double[x.Rank];
        var sizes = new int[x.Rank];
        for (int i = 0; i < x.Rank; i++)
        {
            if (!(scaleValues[i] > 0)) throw new ShapeMismatchException($"Upsample scale {scaleValues[i]} must be positive");
            scales[i] = scaleValues[i];
            sizes[i] = (int)Math.Floor(x.Shape[i] * scales[i]);
        }
        return ResizeOperator.Passes(x, sizes, scales, _linear, CoordinateTransformation.Asymmetric, NearestRounding.Floor);
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Upsample");
        return [AxisResampling.ApplyAll(x, Plan(inputs, x))];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        var x = OperatorInputs.Required(inputs, 0, "Upsample");
        if (g is null || x.DataType != TensorDataType.Float32) return gradients;
        gradients[0] = AxisResampling.TransposeAll(g, Plan(inputs, x));
        return gradients;
    }
}
