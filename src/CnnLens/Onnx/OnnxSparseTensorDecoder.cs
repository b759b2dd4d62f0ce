using CnnLens.Onnx.Protobuf;
using CnnLens.Tensors;

namespace CnnLens.Onnx;

/// <summary>
/// Densifies a SparseTensorProto (graph sparse_initializer): values [NNZ] scattered at indices
/// given either as linear positions [NNZ] or as coordinates [NNZ, rank].
/// </summary>
internal static class OnnxSparseTensorDecoder
{
    public static Tensor Decode(SparseTensorProto proto, string what, OnnxLoadContext context)
    {
        if (proto.Values is null || proto.Indices is null)
            throw context.Error($"{what} lacks its values or indices; re-export the model");

        var values = OnnxTensorDecoder.Decode(proto.Values, what, context);
        var indices = OnnxTensorDecoder.Decode(proto.Indices, what, context);
        long[] positions = ReadIndices(proto.Indices, indices);
        int[] shape = OnnxTensorDecoder.CheckedShape(proto.Dims, what, context);
        var dense = new Tensor(shape, new float[Tensor.CheckedLength(shape)], values.DataType);

        int nonZero = values.Length;
        int rank = dense.Rank;
        bool linear = indices.Rank == 1 && indices.Length == nonZero;
        bool coordinates = indices.Rank == 2 && indices.Dim(0) == nonZero && indices.Dim(1) == rank;
        if (!linear && !coordinates)
            throw context.Error($"{what} has indices of shape {Tensor.ShapeString(indices.Shape)} for {nonZero} values of a rank-{rank} tensor; re-export the model");

        var strides = Tensor.StridesOf(dense.Shape);
        for (int n = 0; n < nonZero; n++)
        {
            long offset = 0;
            if (linear)
            {
                offset = positions[n];
            }
            else
            {
                for (int axis = 0; axis < rank; axis++)
                {
                    long coordinate = positions[n * rank + axis];
                    if (coordinate < 0 || coordinate >= dense.Dim(axis)) { offset = -1; break; }
                    offset += coordinate * strides[axis];
                }
            }
            if (offset < 0 || offset >= dense.Length)
                throw context.Error($"{what} has an index outside its shape {Tensor.ShapeString(dense.Shape)}; re-export the model");
            dense.Data[offset] = values.Data[n];
        }
        return dense;
    }

    /// <summary>Indices are int64; read them exactly rather than through float (which rounds above 2^24).</summary>
    private static long[] ReadIndices(TensorProto proto, Tensor decoded)
    {
        if (proto.Int64Data.Count == decoded.Length) return proto.Int64Data.ToArray();
        if (BitConverter.IsLittleEndian && (OnnxElementType)proto.DataType == OnnxElementType.Int64 && proto.RawData.Length == decoded.Length * 8)
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(proto.RawData.Span).ToArray();
        return decoded.ToLongs();
    }
}
