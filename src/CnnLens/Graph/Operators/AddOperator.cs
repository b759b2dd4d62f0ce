using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>a + b with broadcasting; both gradients are dy summed to the input's shape.</summary>
[OnnxOperator("Add")]
public sealed class AddOperator : BinaryOperator, IInPlaceOperator
{
    /// <summary>Add has no attributes from opset 7 (broadcasting is implicit).</summary>
    public AddOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "Add";

    protected override Tensor Apply(Tensor a, Tensor b) => Broadcasting.Binary<AddOperation>(a, b, OperatorInputs.ArithmeticType(a, b));

    public Tensor? TryForwardInPlace(Tensor?[] inputs, bool[] overwritable)
    {
        if (inputs.Length != 2 || inputs[0] is not { DataType: TensorDataType.Float32 } a || inputs[1] is not { DataType: TensorDataType.Float32 } b
            || !a.SameShape(b)) return null;
        var target = overwritable[0] ? a : overwritable[1] ? b : null;
        if (target is null) return null;
        float[] av = a.Data, bv = b.Data, tv = target.Data;
        Elementwise.Parallel(tv.Length, (s, e) => Elementwise.BinaryContiguous<AddOperation>(av.AsSpan(s, e - s), bv.AsSpan(s, e - s), tv.AsSpan(s, e - s)));
        return target;
    }

    protected override (float DA, float DB) LocalGradient(float a, float b, float y, float g) => (g, g);

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        if (g is null) return [null, null];
        var a = OperatorInputs.Required(inputs, 0, OpType);
        var b = OperatorInputs.Required(inputs, 1, OpType);
        return [a.DataType == TensorDataType.Float32 ? Broadcasting.ReduceTo(g, a.Shape) : null,
                b.DataType == TensorDataType.Float32 ? Broadcasting.ReduceTo(g, b.Shape) : null];
    }
}
