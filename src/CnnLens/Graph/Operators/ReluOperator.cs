using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>max(x, 0). The gradient is 0 for x ≤ 0 (PyTorch's convention at 0).</summary>
[OnnxOperator("Relu")]
public sealed class ReluOperator : UnaryOperator
{
    /// <summary>Relu has no attributes in any opset.</summary>
    public ReluOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Relu";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<ReluOperation>(x);

    // A branch-free SIMD mask: ReLU backward runs once per layer in every reverse pass.
    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) =>
        Broadcasting.Binary<ReluGradientOperation>(x, outputGradient, TensorDataType.Float32);
}
