using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Converts the element type. To float types the values are unchanged (the engine computes in
/// float32); to integer types they are truncated toward zero and tagged Int64; to bool they become
/// 0/1 and are tagged Bool. The gradient passes only float → float casts.
/// </summary>
[OnnxOperator("Cast")]
public sealed class CastOperator : Operator
{
    private readonly TensorDataType _to;

    public CastOperator(OnnxAttributes attributes, int opset)
    {
        if (!attributes.Has("to")) throw new ModelLoadException("Cast has no 'to' attribute; re-export the model");
        long to = attributes.GetInt("to", 1);
        _to = to switch
        {
            1 or 10 or 11 or 16 => TensorDataType.Float32, // float, float16, double, bfloat16
            2 or 3 or 4 or 5 or 6 or 7 or 12 or 13 => TensorDataType.Int64, // (u)int8/16/32/64
            9 => TensorDataType.Bool,
            _ => throw new UnsupportedOperatorException($"Cast to ONNX element type {to} is not supported (only numeric and bool types)"),
        };
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Cast");
        if (_to == TensorDataType.Float32 || _to == x.DataType) return [x.WithDataType(_to)];
        var result = new Tensor(x.ShapeArray, new float[x.Length], _to);
        for (int i = 0; i < x.Length; i++)
            result.Data[i] = _to == TensorDataType.Bool ? (x.Data[i] != 0 ? 1 : 0) : MathF.Truncate(x.Data[i]);
        return [result];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = OperatorInputs.Required(inputs, 0, "Cast");
        bool passes = _to == TensorDataType.Float32 && x.DataType == TensorDataType.Float32;
        return [passes ? outputGradients[0] : null];
    }
}
