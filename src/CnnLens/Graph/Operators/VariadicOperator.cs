using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Base of Sum, Min and Max: fold any number of broadcast inputs with one binary operation.</summary>
public abstract class VariadicOperator<TOp> : Operator where TOp : IBinaryOperation
{
    protected abstract string OpType { get; }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        if (inputs.Length == 0) throw new ShapeMismatchException($"{OpType} needs at least one input");
        var result = OperatorInputs.Required(inputs, 0, OpType);
        if (inputs.Length == 1) return [result.Clone()];
        for (int i = 1; i < inputs.Length; i++)
        {
            var next = OperatorInputs.Required(inputs, i, OpType);
            result = Broadcasting.Binary<TOp>(result, next, OperatorInputs.ArithmeticType(result, next));
        }
        return [result];
    }
}
