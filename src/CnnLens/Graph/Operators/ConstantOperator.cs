using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// A constant from one of the attributes value (tensor), value_float(s) or value_int(s) (Int64);
/// it has no inputs. Sparse and string constants are not supported.
/// </summary>
[OnnxOperator("Constant")]
public sealed class ConstantOperator : Operator
{
    private readonly Tensor _value;

    public ConstantOperator(OnnxAttributes attributes, int opset)
    {
        if (attributes.GetTensor("value") is { } tensor) _value = tensor;
        else if (attributes.Has("value_float")) _value = Tensor.Scalar(attributes.GetFloat("value_float", 0));
        else if (attributes.GetFloats("value_floats") is { } floats && attributes.Has("value_floats")) _value = new Tensor([floats.Length], (float[])floats.Clone());
        else if (attributes.Has("value_int")) _value = Tensor.Scalar(attributes.GetInt("value_int", 0), TensorDataType.Int64);
        else if (attributes.GetInts("value_ints") is { } ints) _value = Tensor.FromLongs([ints.Length], ints);
        else throw new UnsupportedOperatorException("Constant without a numeric value attribute (sparse or string constants) is not supported");
    }

    public override bool IsShapeOperator => true;

    public override Tensor[] Forward(Tensor?[] inputs) => [_value];

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [];
}
