using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>start, start+delta, ... below limit (above it for negative delta): max(ceil((limit−start)/delta), 0) values of start's type.</summary>
[OnnxOperator("Range")]
public sealed class RangeOperator : Operator
{
    /// <summary>Range has no attributes.</summary>
    public RangeOperator(OnnxAttributes attributes, int opset) { }

    public override bool IsShapeOperator => true;

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var startTensor = OperatorInputs.Required(inputs, 0, "Range");
        double start = startTensor.Data[0];
        double limit = OperatorInputs.Required(inputs, 1, "Range").Data[0];
        double delta = OperatorInputs.Required(inputs, 2, "Range").Data[0];
        if (delta == 0) throw new ShapeMismatchException("Range delta is 0; it must be non-zero");
        double count = Math.Max(Math.Ceiling((limit - start) / delta), 0);
        if (count > Array.MaxLength) throw new ShapeMismatchException($"Range would produce {count} values, too many");
        var result = new Tensor([(int)count], new float[(int)count], startTensor.DataType);
        for (int i = 0; i < result.Length; i++) result.Data[i] = (float)(start + i * delta);
        return [result];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null, null, null];
}
