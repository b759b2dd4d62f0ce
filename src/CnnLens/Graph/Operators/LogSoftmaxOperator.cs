using CnnLens.Onnx;

namespace CnnLens.Graph.Operators;

/// <summary>log(softmax(x)) computed as x − max − log Σ e^(x−max); same axis rules as <see cref="SoftmaxFamilyOperator"/>.</summary>
[OnnxOperator("LogSoftmax")]
public sealed class LogSoftmaxOperator(OnnxAttributes attributes, int opset) : SoftmaxFamilyOperator(attributes, opset)
{
    protected override bool IsLog => true;
}
