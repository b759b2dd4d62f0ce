using CnnLens.Onnx;

namespace CnnLens.Graph.Operators;

/// <summary>Softmax along an axis, numerically stable (the maximum is subtracted first).</summary>
[OnnxOperator("Softmax")]
public sealed class SoftmaxOperator(OnnxAttributes attributes, int opset) : SoftmaxFamilyOperator(attributes, opset)
{
    protected override bool IsLog => false;
}
