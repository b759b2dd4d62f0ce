using CnnLens.Onnx;

namespace CnnLens.Graph.Operators;

/// <summary>log(softmax(x)) computed as x − max − log Σ e^(x−max); same axis rules as <see cref="SoftmaxOperator"/>.</summary>
[OnnxOperator("LogSoftmax")]
public sealed class LogSoftmaxOperator(OnnxAttributes attributes, int opset) : SoftmaxOperator(attributes, opset)
{
    protected override bool IsLog => true;
}
