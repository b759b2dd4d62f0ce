using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Elementwise sum of any number of broadcast inputs; each gradient is dy summed to its input's shape.</summary>
[OnnxOperator("Sum")]
public sealed class SumOperator : VariadicOperator<AddOperation>
{
    /// <summary>Sum has no attributes.</summary>
    public SumOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Sum";

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        if (g is null) return gradients;
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is { DataType: TensorDataType.Float32 } x)
                gradients[i] = x.Shape.SequenceEqual(g.Shape) ? g.Clone() : Broadcasting.ReduceTo(g, x.Shape);
        return gradients;
    }
}
