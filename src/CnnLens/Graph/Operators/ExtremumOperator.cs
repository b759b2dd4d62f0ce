using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Base of the variadic Min and Max. The gradient goes to the input(s) holding the extreme value;
/// ties share it equally (PyTorch's maximum/minimum backward halves it between two tied inputs).
/// </summary>
public abstract class ExtremumOperator<TOp> : VariadicOperator<TOp> where TOp : IBinaryOperation
{
    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        if (g is null) return gradients;
        var y = outputs[0];
        var shape = y.ShapeArray;
        var broadcast = new float[inputs.Length][];
        var ties = new float[y.Length];
        for (int k = 0; k < inputs.Length; k++)
        {
            broadcast[k] = Broadcasting.BroadcastTo(OperatorInputs.Required(inputs, k, OpType), shape).Data;
            for (int i = 0; i < ties.Length; i++) if (broadcast[k][i] == y.Data[i]) ties[i]++;
        }
        for (int k = 0; k < inputs.Length; k++)
        {
            if (inputs[k]!.DataType != TensorDataType.Float32) continue;
            var full = new Tensor(shape);
            for (int i = 0; i < ties.Length; i++)
                if (broadcast[k][i] == y.Data[i]) full.Data[i] = g.Data[i] / ties[i];
            gradients[k] = Broadcasting.ReduceTo(full, inputs[k]!.Shape);
        }
        return gradients;
    }
}
