using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>max(x, 0). The gradient is 0 for x ≤ 0 (PyTorch's convention at 0).</summary>
[OnnxOperator("Relu")]
public sealed class ReluOperator : UnaryOperator, IInPlaceOperator
{
    /// <summary>Relu has no attributes in any opset.</summary>
    public ReluOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Relu";

    protected override Tensor Apply(Tensor x) => Elementwise.Map<ReluOperation>(x);

    public Tensor? TryForwardInPlace(Tensor?[] inputs, bool[] overwritable)
    {
        if (inputs.Length != 1 || !overwritable[0] || inputs[0] is not { DataType: TensorDataType.Float32 } x) return null;
        var data = x.Data;
        Elementwise.Parallel(data.Length, (s, e) => Elementwise.Unary<ReluOperation>(data.AsSpan(s, e - s), data.AsSpan(s, e - s)));
        return x;
    }

    // A branch-free SIMD mask: ReLU backward runs once per layer in every reverse pass.
    protected override Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient) =>
        Broadcasting.Binary<ReluGradientOperation>(x, outputGradient, TensorDataType.Float32);
}
