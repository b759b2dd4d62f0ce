using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Elementwise minimum of any number of broadcast inputs.</summary>
[OnnxOperator("Min")]
public sealed class MinOperator : ExtremumOperator<MinOperation>
{
    /// <summary>Min has no attributes.</summary>
    public MinOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Min";
}
