using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Clamps to [min, max]: attributes before opset 11, optional inputs 1 and 2 from opset 11. The
/// gradient passes where min ≤ x ≤ max (inclusive bounds, as torch.clamp's backward) and is 0
/// outside; min and max inputs get no gradient.
/// </summary>
[OnnxOperator("Clip")]
public sealed class ClipOperator : Operator
{
    private readonly int _opset;
    private readonly float _min;
    private readonly float _max;

    public ClipOperator(OnnxAttributes attributes, int opset)
    {
        _opset = opset;
        _min = attributes.GetFloat("min", float.NegativeInfinity);
        _max = attributes.GetFloat("max", float.PositiveInfinity);
    }

    private (float Min, float Max) Bounds(Tensor?[] inputs)
    {
        if (_opset < 11) return (_min, _max);
        var min = OperatorInputs.Optional(inputs, 1);
        var max = OperatorInputs.Optional(inputs, 2);
        return (min is { Length: > 0 } ? min.Data[0] : float.NegativeInfinity, max is { Length: > 0 } ? max.Data[0] : float.PositiveInfinity);
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Clip");
        var (min, max) = Bounds(inputs);
        var result = Tensor.Uninitialized(x.ShapeArray, x.DataType);
        float[] xs = x.Data, rs = result.Data;
        Elementwise.Parallel(xs.Length, (s, e) =>
        {
            for (int i = s; i < e; i++) rs[i] = MathF.Min(MathF.Max(xs[i], min), max);
        });
        return [result];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        if (g is null) return gradients;
        var x = OperatorInputs.Required(inputs, 0, "Clip");
        var (min, max) = Bounds(inputs);
        var result = Tensor.Uninitialized(x.ShapeArray);
        float[] xs = x.Data, gs = g.Data, rs = result.Data;
        Elementwise.Parallel(xs.Length, (s, e) =>
        {
            for (int i = s; i < e; i++) rs[i] = xs[i] >= min && xs[i] <= max ? gs[i] : 0;
        });
        gradients[0] = result;
        return gradients;
    }
}
