using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>
/// The sliding-window attributes Conv, ConvTranspose and the pools share (kernel_shape, strides,
/// dilations, pads, auto_pad, ceil_mode), resolved against an input's spatial sizes. 1-D windows
/// are run as 2-D ones of height 1.
/// </summary>
internal sealed class SpatialWindow
{
    private readonly string _opType;
    private readonly long[]? _kernelShape, _strides, _dilations, _pads;

    public SpatialWindow(OnnxAttributes attributes, string opType)
    {
        _opType = opType;
        _kernelShape = attributes.GetInts("kernel_shape");
        _strides = attributes.GetInts("strides");
        _dilations = attributes.GetInts("dilations");
        _pads = attributes.GetInts("pads");
        AutoPad = attributes.GetString("auto_pad", "NOTSET");
        CeilMode = attributes.GetInt("ceil_mode", 0) != 0;
        if (AutoPad is not ("NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID"))
            throw new ModelLoadException($"{opType}: auto_pad '{AutoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
    }

    public string AutoPad { get; }

    public bool CeilMode { get; }

    /// <summary>The kernel sizes from the attribute, or from the weights when the attribute is absent.</summary>
    public int[] KernelShape(int spatialRank, ReadOnlySpan<int> weightSpatialShape)
    {
        if (_kernelShape is null)
        {
            if (weightSpatialShape.IsEmpty)
                throw new ModelLoadException($"{_opType}: kernel_shape attribute is missing");
            return weightSpatialShape.ToArray();
        }
        if (_kernelShape.Length != spatialRank)
            throw new ShapeMismatchException($"{_opType}: kernel_shape has {_kernelShape.Length} values for a {spatialRank}-D input");
        return _kernelShape.Select(v => (int)v).ToArray();
    }

    public int[] Strides(int spatialRank) => PerAxis(_strides, spatialRank, 1, "strides");

    public int[] Dilations(int spatialRank) => PerAxis(_dilations, spatialRank, 1, "dilations");

    /// <summary>Explicit pads as [begin..., end...] (zeros when absent).</summary>
    public int[] ExplicitPads(int spatialRank)
    {
        if (_pads is null) return new int[2 * spatialRank];
        if (_pads.Length != 2 * spatialRank)
            throw new ShapeMismatchException($"{_opType}: pads has {_pads.Length} values for a {spatialRank}-D input (needs {2 * spatialRank})");
        return _pads.Select(v => (int)v).ToArray();
    }

    /// <summary>
    /// Begin/end pads and output sizes for a forward window sweep (Conv and pools); auto_pad SAME_*
    /// pads so the output is ceil(input / stride), the odd pad going to the end (UPPER) or begin (LOWER).
    /// </summary>
    public (int[] PadsBegin, int[] PadsEnd, int[] Output) Resolve(ReadOnlySpan<int> input, int[] kernel, int[] strides, int[] dilations)
    {
        int rank = input.Length;
        var begin = new int[rank];
        var end = new int[rank];
        var output = new int[rank];
        var pads = ExplicitPads(rank);
        for (int i = 0; i < rank; i++)
        {
            int extent = (kernel[i] - 1) * dilations[i] + 1;
            if (kernel[i] <= 0 || strides[i] <= 0 || dilations[i] <= 0)
                throw new ShapeMismatchException($"{_opType}: kernel, stride and dilation must be positive");
            switch (AutoPad)
            {
                case "SAME_UPPER" or "SAME_LOWER":
                    {
                        int size = (input[i] + strides[i] - 1) / strides[i];
                        int total = Math.Max(0, (size - 1) * strides[i] + extent - input[i]);
                        begin[i] = AutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                        end[i] = total - begin[i];
                        output[i] = size;
                        continue;
                    }
                case "VALID":
                    break;
                default:
                    begin[i] = pads[i];
                    end[i] = pads[i + rank];
                    break;
            }
            int span = input[i] + begin[i] + end[i] - extent;
            if (span < 0)
                throw new ShapeMismatchException($"{_opType}: window of {extent} does not fit input size {input[i]} with pads {begin[i]},{end[i]}; the input image is too small for this model");
            if (CeilMode)
            {
                int size = (span + strides[i] - 1) / strides[i] + 1;
                // A last window that would start inside the end padding is dropped (PyTorch's rule).
                if ((size - 1) * strides[i] >= input[i] + begin[i]) size--;
                output[i] = size;
            }
            else output[i] = span / strides[i] + 1;
        }
        return (begin, end, output);
    }

    /// <summary>The input's spatial rank after checking it is one the kernels run (1 or 2).</summary>
    public int SpatialRank(Tensor input, string name = "X")
    {
        int rank = input.Rank - 2;
        if (rank >= 3)
            throw new UnsupportedOperatorException($"{_opType} on a {rank}-D input ({name} {input}) is not supported; only 1-D and 2-D windows are");
        if (rank < 1)
            throw new ShapeMismatchException($"{_opType}: input {name} {input} needs shape [N, C, spatial...]");
        return rank;
    }

    /// <summary>Pads a 1-D per-axis array to 2-D with a leading height entry of <paramref name="fill"/>.</summary>
    public static int[] As2D(int[] values, int fill) => values.Length == 2 ? values : [fill, values[0]];

    public static PoolingGeometry PoolingGeometryFor(Tensor input, int[] kernel, int[] strides, int[] dilations,
        int[] padsBegin, int[] padsEnd, int[] output)
    {
        int rank = input.Rank - 2;
        int[] inSize = rank == 2 ? [input.Dim(2), input.Dim(3)] : [1, input.Dim(2)];
        int[] k = As2D(kernel, 1), s = As2D(strides, 1), d = As2D(dilations, 1), b = As2D(padsBegin, 0), e = As2D(padsEnd, 0), o = As2D(output, 1);
        return new PoolingGeometry
        {
            Planes = input.Dim(0) * input.Dim(1), InHeight = inSize[0], InWidth = inSize[1], OutHeight = o[0], OutWidth = o[1],
            KernelHeight = k[0], KernelWidth = k[1], StrideHeight = s[0], StrideWidth = s[1], DilationHeight = d[0], DilationWidth = d[1],
            PadTop = b[0], PadLeft = b[1], PadBottom = e[0], PadRight = e[1],
        };
    }

    private int[] PerAxis(long[]? values, int rank, int fallback, string name)
    {
        if (values is null) return Enumerable.Repeat(fallback, rank).ToArray();
        if (values.Length != rank)
            throw new ShapeMismatchException($"{_opType}: {name} has {values.Length} values for a {rank}-D input");
        return values.Select(v => (int)v).ToArray();
    }
}
