using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>ONNX GlobalAveragePool: the mean of every [N, C] plane over all spatial axes, kept as size-1 axes.</summary>
[OnnxOperator("GlobalAveragePool")]
public sealed class GlobalAveragePoolOperator : Operator
{
    public GlobalAveragePoolOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = GlobalPooling.Input(inputs, "GlobalAveragePool");
        var y = Tensor.Uninitialized(GlobalPooling.OutputShape(x));
        Pooling.GlobalForward(y.Length, x.Length / Math.Max(1, y.Length), x.Data, y.Data, maximum: false);
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = GlobalPooling.Input(inputs, "GlobalAveragePool");
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        if (dy is null) return [null];
        var dx = Tensor.Uninitialized(x.ShapeArray);
        int spatial = x.Length / Math.Max(1, dy.Length);
        for (int plane = 0; plane < dy.Length; plane++)
            dx.Data.AsSpan(plane * spatial, spatial).Fill(dy.Data[plane] / spatial);
        return [dx];
    }
}
