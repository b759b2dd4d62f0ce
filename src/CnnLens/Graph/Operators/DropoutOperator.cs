using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Inference-mode dropout: the input passes through (shared data) and the optional mask output is
/// all ones (Bool from opset 10). The ratio and training_mode inputs (opset 12) are ignored, since
/// explanations always run the model in inference mode.
/// </summary>
[OnnxOperator("Dropout")]
public sealed class DropoutOperator : Operator, IOutputCountAware
{
    private readonly int _opset;
    private int _outputCount = 2;

    public DropoutOperator(OnnxAttributes attributes, int opset) => _opset = opset;

    /// <inheritdoc/>
    public void SetOutputCount(int count) => _outputCount = Math.Clamp(count, 1, 2);

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Dropout");
        var output = x.Reshape(x.ShapeArray);
        if (_outputCount == 1) return [output];
        var mask = Tensor.Filled(x.ShapeArray, 1f).WithDataType(_opset >= 10 ? TensorDataType.Bool : x.DataType);
        return [output, mask];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var x = OperatorInputs.Required(inputs, 0, "Dropout");
        if (outputGradients[0] is { } g && x.DataType == TensorDataType.Float32) gradients[0] = g;
        return gradients;
    }
}
