using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>A tensor of the shape given by input 0, filled with the one-value <c>value</c> attribute (default float 0) and of its type.</summary>
[OnnxOperator("ConstantOfShape")]
public sealed class ConstantOfShapeOperator : Operator
{
    private readonly float _value;
    private readonly TensorDataType _dataType;

    public ConstantOfShapeOperator(OnnxAttributes attributes, int opset)
    {
        var value = attributes.GetTensor("value");
        if (value is { Length: not 1 }) throw new ModelLoadException("ConstantOfShape 'value' must hold exactly one element; re-export the model");
        _value = value?.Data[0] ?? 0f;
        _dataType = value?.DataType ?? TensorDataType.Float32;
    }

    public override bool IsShapeOperator => true;

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var shape = OperatorInputs.Dims(OperatorInputs.Required(inputs, 0, "ConstantOfShape").ToLongs(), "ConstantOfShape");
        var result = new Tensor(shape, new float[Tensor.CheckedLength(shape)], _dataType);
        result.Data.AsSpan().Fill(_value);
        return [result];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null];
}
