using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// One ONNX operator with its attributes already parsed. An operator is a few lines: its shape
/// rule and forward live in <see cref="Forward"/>, its vector-Jacobian product in
/// <see cref="Backward"/>; the heavy loops live in <c>CnnLens.Tensors</c> kernels.
/// Implementations are discovered by their <see cref="OnnxOperatorAttribute"/> and must have a
/// public constructor taking (<see cref="OnnxAttributes"/>, int opset).
/// </summary>
public abstract class Operator
{
    /// <summary>
    /// Computes the outputs. <paramref name="inputs"/> follows the node's input order; an omitted
    /// optional input is null. Throws <see cref="ShapeMismatchException"/> for inputs that do not fit.
    /// Must not modify its inputs.
    /// </summary>
    public abstract Tensor[] Forward(Tensor?[] inputs);

    /// <summary>
    /// Vector-Jacobian product: given the gradient of a scalar with respect to each output
    /// (null where no gradient flows), returns the gradient with respect to each input (null for
    /// inputs that are not differentiable, such as shapes and indices).
    /// </summary>
    public virtual Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) =>
        throw new UnsupportedOperatorException($"{GetType().Name} has no backward pass yet");

    /// <summary>
    /// The same, told which input gradients the caller will use: operators whose weight gradients
    /// are expensive (Conv, Gemm, MatMul) skip the ones not <paramref name="needed"/> and return null there.
    /// </summary>
    public virtual Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients, bool[] needed) =>
        Backward(inputs, outputs, outputGradients);

    /// <summary>True for every input: the default when the caller wants all gradients.</summary>
    protected static bool[] AllNeeded(Tensor?[] inputs) => Enumerable.Repeat(true, inputs.Length).ToArray();

    /// <summary>True when this op only rearranges or computes shape data (folded at plan time when its inputs are known).</summary>
    public virtual bool IsShapeOperator => false;
}

/// <summary>Marks an <see cref="Operator"/> as the implementation of an ONNX op type (repeat for aliases).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class OnnxOperatorAttribute(string opType) : Attribute
{
    public string OpType { get; } = opType;
}
