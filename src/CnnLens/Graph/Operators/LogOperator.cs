using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Natural logarithm; dx = dy/x.</summary>
[OnnxOperator("Log")]
public sealed class LogOperator : UnaryOperator
{
    /// <summary>Log has no attributes in any opset.</summary>
    public LogOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Log";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<LogOperation>(x);

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => g / x;
    }
}
