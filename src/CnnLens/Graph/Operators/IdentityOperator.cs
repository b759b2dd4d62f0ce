using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Passes the input through (shared data); the gradient passes back unchanged.</summary>
[OnnxOperator("Identity")]
public sealed class IdentityOperator : ReshapingOperator
{
    /// <summary>Identity has no attributes.</summary>
    public IdentityOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Identity";

    protected override int[] OutputShape(Tensor x, Tensor?[] inputs) => x.ShapeArray;
}
