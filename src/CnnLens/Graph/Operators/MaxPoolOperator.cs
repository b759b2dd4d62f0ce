using System.Runtime.CompilerServices;
using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>
/// ONNX MaxPool (1-D and 2-D) with kernel_shape, strides, pads, auto_pad, ceil_mode and dilations.
/// Returns Y, and Indices (flat NCHW positions, row-major storage order, as Int64 values) only when
/// the node has that second output: models almost never use it, so the forward does not pay for it.
/// Backward sends each gradient to its window's first maximum in scan order, as PyTorch does.
/// </summary>
[OnnxOperator("MaxPool")]
public sealed class MaxPoolOperator : Operator, IOutputCountAware
{
    private readonly SpatialWindow _window;
    private bool _withIndices = true;

    // The forward finds each window's maximum position anyway; kept beside its output's buffer (while
    // that buffer lives) so a reverse pass need not sweep the input again. Keyed by the buffer, not the
    // tensor: pooled buffers come back run after run, and so does their index array, unallocated.
    private readonly ConditionalWeakTable<float[], int[]> _argmaxOf = new();

    public MaxPoolOperator(OnnxAttributes attributes, int opset)
    {
        _window = new SpatialWindow(attributes, "MaxPool");
        if (attributes.GetInt("storage_order", 0) != 0)
            throw new UnsupportedOperatorException("MaxPool with storage_order=1 (column-major indices) is not supported");
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var x = Input(inputs);
        var (g, outputShape) = Geometry(x);
        var y = Tensor.Uninitialized(outputShape);
        if (!_argmaxOf.TryGetValue(y.Data, out var argmax) || argmax.Length != y.Length)
        {
            argmax = new int[y.Length];
            _argmaxOf.AddOrUpdate(y.Data, argmax);
        }
        Pooling.MaxForward(g, x.Data, y.Data, argmax);
        if (!_withIndices) return [y];
        var indices = new float[y.Length];
        for (int plane = 0; plane < g.Planes; plane++)
            for (int o = 0; o < g.OutSpatial; o++)
            {
                int local = argmax[plane * g.OutSpatial + o];
                indices[plane * g.OutSpatial + o] = local < 0 ? -1 : (float)((long)plane * g.InSpatial + local);
            }
        return [y, new Tensor(outputShape, indices, TensorDataType.Int64)];
    }

    public void SetOutputCount(int count) => _withIndices = count > 1;

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = Input(inputs);
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        if (dy is null) return [null];
        var (g, _) = Geometry(x);
        // The argmax is the forward's own, or recomputed (not read from Indices: float-held indices lose exactness past 2^24).
        if (outputs.Length == 0 || !_argmaxOf.TryGetValue(outputs[0].Data, out var argmax) || argmax.Length != dy.Length)
        {
            argmax = new int[dy.Length];
            Pooling.MaxForward(g, x.Data, new float[dy.Length], argmax);
        }
        var dx = Tensor.Uninitialized(x.ShapeArray); // the kernel clears it first
        Pooling.MaxBackward(g, argmax, dy.Data, dx.Data);
        return [dx];
    }

    private static Tensor Input(Tensor?[] inputs) =>
        inputs.Length > 0 && inputs[0] is not null ? inputs[0]! : throw new ShapeMismatchException("MaxPool needs input X");

    /// <summary>The window sweep for input <paramref name="x"/> (also used by DeepLIFT's max-pool rule).</summary>
    internal (PoolingGeometry Geometry, int[] OutputShape) Geometry(Tensor x)
    {
        int rank = _window.SpatialRank(x);
        var kernel = _window.KernelShape(rank, default);
        var strides = _window.Strides(rank);
        var dilations = _window.Dilations(rank);
        var (begin, end, output) = _window.Resolve(x.Shape[2..], kernel, strides, dilations);
        var g = SpatialWindow.PoolingGeometryFor(x, kernel, strides, dilations, begin, end, output);
        return (g, [x.Dim(0), x.Dim(1), .. output]);
    }
}
