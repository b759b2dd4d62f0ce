using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Logistic sigmoid 1/(1+e^−x); dx = dy·y·(1−y).</summary>
[OnnxOperator("Sigmoid")]
public sealed class SigmoidOperator : UnaryOperator
{
    /// <summary>Sigmoid has no attributes in any opset.</summary>
    public SigmoidOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Sigmoid";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<SigmoidOperation>(x);

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => g * y * (1 - y);
    }
}
