using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>|x|; dx = dy·sign(x) with sign(0) = 0 like PyTorch.</summary>
[OnnxOperator("Abs")]
public sealed class AbsOperator : UnaryOperator
{
    /// <summary>Abs has no attributes in any opset.</summary>
    public AbsOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Abs";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<AbsOperation>(x, x.DataType);

    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) => MapGradient<Gradient>(x, y, outputGradient);

    private readonly struct Gradient : IGradientOperation
    {
        public static float Invoke(float x, float y, float g) => x > 0 ? g : x < 0 ? -g : 0;
    }
}
