using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// condition ? x : y with three-way broadcasting. dx = dy where the condition holds, dy = dy
/// elsewhere, each summed to its input's shape; the condition gets none.
/// </summary>
[OnnxOperator("Where")]
public sealed class WhereOperator : Operator
{
    /// <summary>Where has no attributes.</summary>
    public WhereOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var c = OperatorInputs.Required(inputs, 0, "Where");
        var x = OperatorInputs.Required(inputs, 1, "Where");
        var y = OperatorInputs.Required(inputs, 2, "Where");
        var shape = Broadcasting.Shape([c, x, y]);
        float[] cv = Broadcasting.BroadcastTo(c, shape).Data, xv = Broadcasting.BroadcastTo(x, shape).Data, yv = Broadcasting.BroadcastTo(y, shape).Data;
        var result = new Tensor(shape, new float[cv.Length], x.DataType);
        var rv = result.Data;
        for (int i = 0; i < rv.Length; i++) rv[i] = cv[i] != 0 ? xv[i] : yv[i];
        return [result];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        if (g is null) return [null, null, null];
        var c = OperatorInputs.Required(inputs, 0, "Where");
        var x = OperatorInputs.Required(inputs, 1, "Where");
        var y = OperatorInputs.Required(inputs, 2, "Where");
        var cv = Broadcasting.BroadcastTo(c, g.ShapeArray).Data;
        var dx = new Tensor(g.ShapeArray);
        var dy = new Tensor(g.ShapeArray);
        for (int i = 0; i < cv.Length; i++)
        {
            if (cv[i] != 0) dx.Data[i] = g.Data[i];
            else dy.Data[i] = g.Data[i];
        }
        return [null,
                x.DataType == TensorDataType.Float32 ? Broadcasting.ReduceTo(dx, x.Shape) : null,
                y.DataType == TensorDataType.Float32 ? Broadcasting.ReduceTo(dy, y.Shape) : null];
    }
}
