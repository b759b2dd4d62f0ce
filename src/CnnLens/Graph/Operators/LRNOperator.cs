using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>
/// ONNX LRN (local response normalisation across channels):
/// y = x / (bias + alpha / size * sum of squares over a window of <c>size</c> channels)^beta.
/// </summary>
[OnnxOperator("LRN")]
public sealed class LRNOperator : Operator
{
    private readonly int _size;
    private readonly float _alpha, _beta, _bias;

    public LRNOperator(OnnxAttributes attributes, int opset)
    {
        _size = (int)attributes.GetInt("size", 0);
        if (_size < 1) throw new ModelLoadException("LRN: attribute 'size' is required and must be at least 1");
        _alpha = attributes.GetFloat("alpha", 1e-4f);
        _beta = attributes.GetFloat("beta", 0.75f);
        _bias = attributes.GetFloat("bias", 1f);
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = Input(inputs);
        var y = new Tensor(x.ShapeArray);
        LocalResponseNormalization.Forward(x.Dim(0), x.Dim(1), x.Length / Math.Max(1, x.Dim(0) * x.Dim(1)), x.Data, y.Data, _size, _alpha, _beta, _bias);
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = Input(inputs);
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        if (dy is null) return [null];
        var dx = new Tensor(x.ShapeArray);
        LocalResponseNormalization.Backward(x.Dim(0), x.Dim(1), x.Length / Math.Max(1, x.Dim(0) * x.Dim(1)), x.Data, dy.Data, dx.Data, _size, _alpha, _beta, _bias);
        return [dx];
    }

    private static Tensor Input(Tensor?[] inputs)
    {
        var x = inputs.Length > 0 ? inputs[0] : null;
        if (x is null) throw new ShapeMismatchException("LRN needs input X");
        if (x.Rank < 3) throw new ShapeMismatchException($"LRN: input {x} needs shape [N, C, spatial...]");
        return x;
    }
}
