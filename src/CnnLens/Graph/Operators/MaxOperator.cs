using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Elementwise maximum of any number of broadcast inputs.</summary>
[OnnxOperator("Max")]
public sealed class MaxOperator : ExtremumOperator<MaxOperation>
{
    /// <summary>Max has no attributes.</summary>
    public MaxOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Max";
}
