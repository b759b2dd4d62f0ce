using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// An operator that can write its output over an input nobody reads afterwards (ReLU after a
/// convolution, the residual Add): the executor says which inputs are such dead, pooled buffers
/// held by nothing else. Saves a buffer and a pass over memory per layer in a forward pass.
/// </summary>
public interface IInPlaceOperator
{
    /// <summary>The output written over one of the <paramref name="overwritable"/> inputs, or null to run <see cref="Operator.Forward"/> instead.</summary>
    Tensor? TryForwardInPlace(Tensor?[] inputs, bool[] overwritable);
}
