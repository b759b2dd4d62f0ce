using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Base of Softmax and LogSoftmax. Before opset 13 the input is coerced to 2-D at <c>axis</c>
/// (default 1) and normalised over everything from <c>axis</c> on; from opset 13 over the single
/// axis (default −1). (A base without the ONNX attribute, because the attribute is inherited.)
/// </summary>
public abstract class SoftmaxFamilyOperator : Operator
{
    private readonly long _axis;
    private readonly bool _coerceTo2D;

    protected SoftmaxFamilyOperator(OnnxAttributes attributes, int opset)
    {
        _coerceTo2D = opset < 13;
        _axis = attributes.GetInt("axis", _coerceTo2D ? 1 : -1);
    }

    protected abstract bool IsLog { get; }

    private string OpType => IsLog ? "LogSoftmax" : "Softmax";

    private (int Outer, int N, int Inner) Layout(Tensor x)
    {
        if (x.Rank == 0) return (1, 1, 1);
        int axis = OperatorInputs.Axis(_axis, x.Rank, OpType);
        int outer = OperatorInputs.Product(x.Shape, 0, axis);
        if (_coerceTo2D) return (outer, OperatorInputs.Product(x.Shape, axis, x.Rank), 1);
        return (outer, x.Shape[axis], OperatorInputs.Product(x.Shape, axis + 1, x.Rank));
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, OpType);
        var (outer, n, inner) = Layout(x);
        var y = new Tensor(x.ShapeArray);
        SoftmaxKernel.Forward(x.Data, y.Data, outer, n, inner, IsLog);
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        if (g is null) return [null];
        var x = OperatorInputs.Required(inputs, 0, OpType);
        var (outer, n, inner) = Layout(x);
        var dx = new Tensor(x.ShapeArray);
        SoftmaxKernel.Backward(outputs[0].Data, g.Data, dx.Data, outer, n, inner, IsLog);
        return [dx];
    }
}
