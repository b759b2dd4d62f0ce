using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Permutes the axes (default: reversed). The output is a strided read of the input, so when the
/// last axis stays last whole rows are copied with Span.CopyTo. Backward applies the inverse permutation.
/// </summary>
[OnnxOperator("Transpose")]
public sealed class TransposeOperator : Operator
{
    private readonly long[]? _perm;

    public TransposeOperator(OnnxAttributes attributes, int opset) => _perm = attributes.GetInts("perm");

    private int[] Permutation(int rank)
    {
        if (_perm is null) return Enumerable.Range(0, rank).Reverse().ToArray();
        if (_perm.Length != rank) throw new ShapeMismatchException($"Transpose perm has {_perm.Length} axes for a tensor of rank {rank}");
        return OperatorInputs.Axes(_perm, rank, "Transpose");
    }

    /// <summary>x with its axes reordered: output axis i is input axis perm[i].</summary>
    public static Tensor Permute(Tensor x, int[] perm)
    {
        var strides = Tensor.StridesOf(x.Shape);
        var shape = new int[perm.Length];
        var readStrides = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++)
        {
            shape[i] = x.Shape[perm[i]];
            readStrides[i] = strides[perm[i]];
        }
        var result = new Tensor(shape, new float[x.Length], x.DataType);
        StridedCopy.Gather(x.Data, 0, shape, readStrides, result.Data);
        return result;
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = OperatorInputs.Required(inputs, 0, "Transpose");
        return [Permute(x, Permutation(x.Rank))];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        var x = OperatorInputs.Required(inputs, 0, "Transpose");
        if (g is null || x.DataType != TensorDataType.Float32) return [null];
        var perm = Permutation(x.Rank);
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return [Permute(g, inverse)];
    }
}
