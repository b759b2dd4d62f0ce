using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>ONNX GlobalMaxPool: the maximum of every [N, C] plane; backward goes to the first maximum.</summary>
[OnnxOperator("GlobalMaxPool")]
public sealed class GlobalMaxPoolOperator : Operator
{
    public GlobalMaxPoolOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = GlobalPooling.Input(inputs, "GlobalMaxPool");
        var y = new Tensor(GlobalPooling.OutputShape(x));
        Pooling.GlobalForward(y.Length, x.Length / Math.Max(1, y.Length), x.Data, y.Data, maximum: true);
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = GlobalPooling.Input(inputs, "GlobalMaxPool");
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        if (dy is null) return [null];
        var dx = new Tensor(x.ShapeArray);
        int spatial = x.Length / Math.Max(1, dy.Length);
        for (int plane = 0; plane < dy.Length; plane++)
        {
            var values = x.Data.AsSpan(plane * spatial, spatial);
            int best = 0;
            for (int i = 1; i < spatial; i++)
                if (values[i] > values[best]) best = i;
            dx.Data[plane * spatial + best] = dy.Data[plane];
        }
        return [dx];
    }
}
