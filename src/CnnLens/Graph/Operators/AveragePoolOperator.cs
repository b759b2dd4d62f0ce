using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>
/// ONNX AveragePool (1-D and 2-D) with kernel_shape, strides, pads, auto_pad, ceil_mode, dilations
/// and count_include_pad (PyTorch's divisor rule for windows clipped by ceil_mode).
/// </summary>
[OnnxOperator("AveragePool")]
public sealed class AveragePoolOperator : Operator
{
    private readonly SpatialWindow _window;
    private readonly bool _countIncludePad;

    public AveragePoolOperator(OnnxAttributes attributes, int opset)
    {
        _window = new SpatialWindow(attributes, "AveragePool");
        _countIncludePad = attributes.GetInt("count_include_pad", 0) != 0;
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = Input(inputs);
        var (g, outputShape) = Geometry(x);
        var y = new Tensor(outputShape);
        Pooling.AverageForward(g, x.Data, y.Data, _countIncludePad);
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = Input(inputs);
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        if (dy is null) return [null];
        var (g, _) = Geometry(x);
        var dx = new Tensor(x.ShapeArray);
        Pooling.AverageBackward(g, dy.Data, dx.Data, _countIncludePad);
        return [dx];
    }

    private static Tensor Input(Tensor?[] inputs) =>
        inputs.Length > 0 && inputs[0] is not null ? inputs[0]! : throw new ShapeMismatchException("AveragePool needs input X");

    private (PoolingGeometry Geometry, int[] OutputShape) Geometry(Tensor x)
    {
        int rank = _window.SpatialRank(x);
        var kernel = _window.KernelShape(rank, default);
        var strides = _window.Strides(rank);
        var dilations = _window.Dilations(rank);
        var (begin, end, output) = _window.Resolve(x.Shape[2..], kernel, strides, dilations);
        var g = SpatialWindow.PoolingGeometryFor(x, kernel, strides, dilations, begin, end, output);
        return (g, [x.Dim(0), x.Dim(1), .. output]);
    }
}
