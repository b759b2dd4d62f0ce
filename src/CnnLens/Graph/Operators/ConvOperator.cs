using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>
/// ONNX Conv (1-D and 2-D): Y = conv(X, W) + B with group, strides, dilations, pads and auto_pad.
/// Weights are packed once per weight tensor. Backward gives dX, dW and dB.
/// </summary>
[OnnxOperator("Conv")]
public sealed class ConvOperator : Operator
{
    private readonly SpatialWindow _window;
    private readonly int _group;
    private readonly PackedWeightCache<PackedMatrix[]> _packed = new();
    private readonly PackedWeightCache<float[]> _transposed = new(); // made by the first reverse pass only
    private readonly PackedWeightCache<float[]> _winograd = new();
    private readonly PackedWeightCache<float[]> _winogradGradient = new(); // made by the first reverse pass only

    public ConvOperator(OnnxAttributes attributes, int opset)
    {
        _window = new SpatialWindow(attributes, "Conv");
        _group = (int)attributes.GetInt("group", 1);
        if (_group < 1) throw new ModelLoadException($"Conv: group must be at least 1, got {_group}");
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var (x, w, b) = Inputs(inputs);
        var g = Geometry(x, w);
        var bias = b is null ? default : b.Data.AsSpan();
        if (UsesWinograd(g))
        {
            var transformed = _winograd.Get(w, g.PatchSize, () => WinogradConvolution.TransformWeights(g, w.Data));
            var output = Tensor.Uninitialized(OutputShape(x, g)); // every value is written
            WinogradConvolution.Forward(g, x.Data, transformed, bias, output.Data);
            return [output];
        }
        // Only 1x1 weights keep a packed copy: measured on MobileNetV2 its pointwise layers are slower
        // read in place, while spatial kernels (most of ResNet's weights) run as fast unpacked.
        var packed = !g.IsPointwise || g.IsDepthwise ? null : _packed.Get(w, g.PatchSize, () => Convolution.PackWeights(g, w.Data));
        var y = Tensor.Uninitialized(OutputShape(x, g)); // the kernel writes bias or zeros first
        Convolution.Forward(g, x.Data, w.Data, packed, bias, y.Data);
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) =>
        Backward(inputs, outputs, outputGradients, AllNeeded(inputs));

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients, bool[] needed)
    {
        var (x, w, b) = Inputs(inputs);
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        if (dy is null) return new Tensor?[inputs.Length];
        var g = Geometry(x, w);
        var result = new Tensor?[inputs.Length];
        if (needed[0])
        {
            var dx = Tensor.Uninitialized(x.ShapeArray); // overwritten by the kernel
            if (UsesWinograd(g) && WinogradConvolution.DataGradientGeometry(g) is var gradientGeometry && UsesWinograd(gradientGeometry))
            {
                var turned = _winogradGradient.Get(w, g.PatchSize, () => WinogradConvolution.TransformWeightsForDataGradient(g, w.Data));
                WinogradConvolution.Forward(gradientGeometry, dy.Data, turned, default, dx.Data);
            }
            else
            {
                var transposed = g.IsDepthwise ? null : _transposed.Get(w, g.PatchSize, () => Convolution.TransposeWeights(g, w.Data));
                Convolution.BackwardData(g, dy.Data, w.Data, transposed, dx.Data);
            }
            result[0] = dx;
        }
        if (needed[1])
        {
            var dw = new Tensor(w.ShapeArray);
            Convolution.BackwardWeights(g, x.Data, dy.Data, dw.Data);
            result[1] = dw;
        }
        if (b is not null && needed.Length > 2 && needed[2])
        {
            var db = new Tensor(b.ShapeArray);
            Convolution.BackwardBias(g.Batch, g.OutChannels, g.OutSpatial, dy.Data, db.Data);
            result[2] = db;
        }
        return result;
    }

    private static bool UsesWinograd(ConvolutionGeometry g) => WinogradConvolution.Enabled && WinogradConvolution.Applies(g);

    private static (Tensor X, Tensor W, Tensor? B) Inputs(Tensor?[] inputs)
    {
        if (inputs.Length < 2 || inputs[0] is null || inputs[1] is null)
            throw new ShapeMismatchException("Conv needs inputs X and W");
        var b = inputs.Length > 2 ? inputs[2] : null;
        return (inputs[0]!, inputs[1]!, b);
    }

    private ConvolutionGeometry Geometry(Tensor x, Tensor w)
    {
        int rank = _window.SpatialRank(x);
        if (w.Rank != x.Rank)
            throw new ShapeMismatchException($"Conv: weights {w} and input {x} must have the same rank");
        if (w.Dim(1) * _group != x.Dim(1))
            throw new ShapeMismatchException($"Conv: input {x} has {x.Dim(1)} channels but weights {w} with group {_group} expect {w.Dim(1) * _group}");
        if (w.Dim(0) % _group != 0)
            throw new ShapeMismatchException($"Conv: {w.Dim(0)} filters are not divisible by group {_group}");
        var kernel = _window.KernelShape(rank, w.Shape[2..]);
        if (!kernel.AsSpan().SequenceEqual(w.Shape[2..]))
            throw new ShapeMismatchException($"Conv: kernel_shape {Tensor.ShapeString(kernel)} does not match weights {w}");
        var strides = _window.Strides(rank);
        var dilations = _window.Dilations(rank);
        var (begin, end, _) = _window.Resolve(x.Shape[2..], kernel, strides, dilations);
        int[] k = SpatialWindow.As2D(kernel, 1), s = SpatialWindow.As2D(strides, 1), d = SpatialWindow.As2D(dilations, 1);
        int[] pb = SpatialWindow.As2D(begin, 0), pe = SpatialWindow.As2D(end, 0);
        var g = new ConvolutionGeometry
        {
            Batch = x.Dim(0), InChannels = x.Dim(1), InHeight = rank == 2 ? x.Dim(2) : 1, InWidth = x.Dim(-1),
            OutChannels = w.Dim(0), KernelHeight = k[0], KernelWidth = k[1], StrideHeight = s[0], StrideWidth = s[1],
            DilationHeight = d[0], DilationWidth = d[1], PadTop = pb[0], PadLeft = pb[1], PadBottom = pe[0], PadRight = pe[1],
            Groups = _group,
        };
        g.Validate();
        return g;
    }

    private static int[] OutputShape(Tensor x, ConvolutionGeometry g) =>
        x.Rank == 4 ? [g.Batch, g.OutChannels, g.OutHeight, g.OutWidth] : [g.Batch, g.OutChannels, g.OutWidth];
}
