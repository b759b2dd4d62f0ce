using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Base of the operators that only change the shape (Reshape, Flatten, Squeeze, Unsqueeze,
/// Identity): the output shares the input's data and type, and the gradient is dy reshaped back
/// (also without copying). Only input 0 is data; later inputs (shapes, axes) get no gradient.
/// </summary>
public abstract class ReshapingOperator : Operator
{
    protected abstract string OpType { get; }

    protected abstract int[] OutputShape(Tensor x, Tensor?[] inputs);

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, OpType);
        var shape = OutputShape(x, inputs);
        if (Tensor.CheckedLength(shape) != x.Length)
            throw new ShapeMismatchException($"{OpType} cannot turn {Tensor.ShapeString(x.Shape)} into {Tensor.ShapeString(shape)}: the value counts differ");
        return [x.Reshape(shape)];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = OperatorInputs.NoGradients(inputs.Length);
        var g = outputGradients[0];
        var x = OperatorInputs.Required(inputs, 0, OpType);
        if (g is not null && x.DataType == TensorDataType.Float32) gradients[0] = g.Reshape(x.ShapeArray);
        return gradients;
    }
}
