namespace CnnLens.Tensors;

/// <summary>
/// The ONNX element type a tensor stands for. The engine computes in float32 only; integer and
/// boolean tensors (shapes, indices, axes in PyTorch's shape sub-graphs) are held as exact float
/// values (integers up to 2^24), and this tag keeps their meaning for Cast, Shape and Div.
/// </summary>
public enum TensorDataType
{
    Float32,
    Int64,
    Bool,
}
