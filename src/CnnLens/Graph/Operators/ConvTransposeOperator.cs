using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>
/// ONNX ConvTranspose (1-D and 2-D) with group, strides, dilations, pads, output_padding,
/// output_shape and auto_pad. It is the data gradient of a Conv whose input is this op's output,
/// so it runs as GEMM + col2im; its own backward is that Conv's forward and weight gradient.
/// </summary>
[OnnxOperator("ConvTranspose")]
public sealed class ConvTransposeOperator : Operator
{
    private readonly SpatialWindow _window;
    private readonly int _group;
    private readonly long[]? _outputPadding, _outputShape;

    public ConvTransposeOperator(OnnxAttributes attributes, int opset)
    {
        _window = new SpatialWindow(attributes, "ConvTranspose");
        _group = (int)attributes.GetInt("group", 1);
        if (_group < 1) throw new ModelLoadException($"ConvTranspose: group must be at least 1, got {_group}");
        _outputPadding = attributes.GetInts("output_padding");
        _outputShape = attributes.GetInts("output_shape");
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var (x, w, b) = Inputs(inputs);
        var g = Geometry(x, w);
        if (b is not null && b.Length != g.InChannels)
            throw new ShapeMismatchException($"ConvTranspose: bias {b} needs {g.InChannels} values, one per output channel");
        var y = new Tensor(OutputShape(x, g));
        Convolution.BackwardData(g, x.Data, w.Data, y.Data);
        if (b is not null)
        {
            int spatial = g.InSpatial;
            for (int n = 0; n < g.Batch; n++)
                for (int c = 0; c < g.InChannels; c++)
                {
                    var plane = y.Data.AsSpan((n * g.InChannels + c) * spatial, spatial);
                    float bias = b.Data[c];
                    for (int i = 0; i < plane.Length; i++) plane[i] += bias;
                }
        }
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) =>
        Backward(inputs, outputs, outputGradients, AllNeeded(inputs));

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients, bool[] needed)
    {
        var (x, w, b) = Inputs(inputs);
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        var result = new Tensor?[inputs.Length];
        if (dy is null) return result;
        var g = Geometry(x, w);
        if (needed[0])
        {
            var dx = new Tensor(x.ShapeArray);
            Convolution.Forward(g, dy.Data, w.Data, null, default, dx.Data);
            result[0] = dx;
        }
        if (needed[1])
        {
            var dw = new Tensor(w.ShapeArray);
            Convolution.BackwardWeights(g, dy.Data, x.Data, dw.Data);
            result[1] = dw;
        }
        if (b is not null && needed.Length > 2 && needed[2])
        {
            var db = new Tensor(b.ShapeArray);
            Convolution.BackwardBias(g.Batch, g.InChannels, g.InSpatial, dy.Data, db.Data);
            result[2] = db;
        }
        return result;
    }

    private static (Tensor X, Tensor W, Tensor? B) Inputs(Tensor?[] inputs)
    {
        if (inputs.Length < 2 || inputs[0] is null || inputs[1] is null)
            throw new ShapeMismatchException("ConvTranspose needs inputs X and W");
        return (inputs[0]!, inputs[1]!, inputs.Length > 2 ? inputs[2] : null);
    }

    /// <summary>The geometry of the forward Conv this op transposes: its input is our output.</summary>
    private ConvolutionGeometry Geometry(Tensor x, Tensor w)
    {
        int rank = _window.SpatialRank(x);
        if (w.Rank != x.Rank)
            throw new ShapeMismatchException($"ConvTranspose: weights {w} and input {x} must have the same rank");
        if (w.Dim(0) != x.Dim(1))
            throw new ShapeMismatchException($"ConvTranspose: input {x} has {x.Dim(1)} channels but weights {w} expect {w.Dim(0)}");
        if (w.Dim(0) % _group != 0)
            throw new ShapeMismatchException($"ConvTranspose: {w.Dim(0)} input channels are not divisible by group {_group}");
        var kernel = _window.KernelShape(rank, w.Shape[2..]);
        if (!kernel.AsSpan().SequenceEqual(w.Shape[2..]))
            throw new ShapeMismatchException($"ConvTranspose: kernel_shape {Tensor.ShapeString(kernel)} does not match weights {w}");
        var strides = _window.Strides(rank);
        var dilations = _window.Dilations(rank);
        var outputPadding = PerAxis(_outputPadding, rank, "output_padding");
        var pads = _window.ExplicitPads(rank);
        var begin = new int[rank];
        var end = new int[rank];
        var output = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int input = x.Dim(2 + i), extent = (kernel[i] - 1) * dilations[i] + 1;
            int natural = strides[i] * (input - 1) + outputPadding[i] + extent;
            if (_outputShape is not null || _window.AutoPad is "SAME_UPPER" or "SAME_LOWER")
            {
                int target = _outputShape is not null ? (int)_outputShape[_outputShape.Length - rank + i] : input * strides[i];
                int total = natural - target;
                bool upper = _window.AutoPad != "SAME_LOWER";
                begin[i] = upper ? total / 2 : total - total / 2;
                end[i] = total - begin[i];
                output[i] = target;
            }
            else if (_window.AutoPad == "VALID") output[i] = natural;
            else
            {
                begin[i] = pads[i];
                end[i] = pads[i + rank];
                output[i] = natural - begin[i] - end[i];
            }
            if (begin[i] < 0 || end[i] < 0 || output[i] <= 0)
                throw new ShapeMismatchException($"ConvTranspose: output size {output[i]} with pads {begin[i]},{end[i]} is not reachable from input size {input}");
        }
        int[] k = SpatialWindow.As2D(kernel, 1), s = SpatialWindow.As2D(strides, 1), d = SpatialWindow.As2D(dilations, 1);
        int[] pb = SpatialWindow.As2D(begin, 0), pe = SpatialWindow.As2D(end, 0), o = SpatialWindow.As2D(output, 1);
        var g = new ConvolutionGeometry
        {
            Batch = x.Dim(0), InChannels = w.Dim(1) * _group, InHeight = o[0], InWidth = o[1], OutChannels = w.Dim(0),
            KernelHeight = k[0], KernelWidth = k[1], StrideHeight = s[0], StrideWidth = s[1], DilationHeight = d[0], DilationWidth = d[1],
            PadTop = pb[0], PadLeft = pb[1], PadBottom = pe[0], PadRight = pe[1], Groups = _group,
        };
        g.Validate();
        int inHeight = rank == 2 ? x.Dim(2) : 1;
        if (g.OutHeight != inHeight || g.OutWidth != x.Dim(-1))
            throw new ShapeMismatchException($"ConvTranspose: output_padding must be smaller than the stride (input {x}, output {Tensor.ShapeString(output)})");
        return g;
    }

    private static int[] PerAxis(long[]? values, int rank, string name)
    {
        if (values is null) return new int[rank];
        if (values.Length != rank)
            throw new ShapeMismatchException($"ConvTranspose: {name} has {values.Length} values for a {rank}-D input");
        return values.Select(v => (int)v).ToArray();
    }

    private static int[] OutputShape(Tensor x, ConvolutionGeometry g) =>
        x.Rank == 4 ? [g.Batch, g.InChannels, g.InHeight, g.InWidth] : [g.Batch, g.InChannels, g.InWidth];
}
