using CnnLens.Tensors.Kernels;

namespace CnnLens.Benchmarks;

/// <summary>Buffers and pre-packed weights for one convolution layer, ready to run repeatedly.</summary>
public sealed class ConvolutionRun
{
    private readonly ConvolutionGeometry _geometry;
    private readonly float[] _input, _weights, _bias, _output, _inputGradient;
    private readonly PackedMatrix[] _packed;
    private readonly float[] _transposed;
    private readonly float[]? _winograd, _winogradGradient;
    private readonly ConvolutionGeometry? _gradientGeometry;

    public ConvolutionRun(ConvolutionLayers.Layer layer)
    {
        _geometry = new ConvolutionGeometry
        {
            Batch = 1, InChannels = layer.Channels, InHeight = layer.Size, InWidth = layer.Size,
            OutChannels = layer.OutChannels, KernelHeight = layer.Kernel, KernelWidth = layer.Kernel,
            StrideHeight = layer.Stride, StrideWidth = layer.Stride,
            PadTop = layer.Pad, PadLeft = layer.Pad, PadBottom = layer.Pad, PadRight = layer.Pad, Groups = layer.Group,
        };
        _input = QuickMeasurements.Fill(layer.Channels * layer.Size * layer.Size);
        _weights = QuickMeasurements.Fill(layer.OutChannels * _geometry.PatchSize, 2);
        _bias = QuickMeasurements.Fill(layer.OutChannels, 3);
        _output = new float[layer.OutChannels * _geometry.OutSpatial];
        _packed = Convolution.PackWeights(_geometry, _weights);
        _inputGradient = new float[_input.Length];
        _transposed = Convolution.TransposeWeights(_geometry, _weights);
        if (WinogradConvolution.Applies(_geometry))
        {
            _winograd = WinogradConvolution.TransformWeights(_geometry, _weights);
            _gradientGeometry = WinogradConvolution.DataGradientGeometry(_geometry);
            if (WinogradConvolution.Applies(_gradientGeometry))
                _winogradGradient = WinogradConvolution.TransformWeightsForDataGradient(_geometry, _weights);
        }
    }

    /// <summary>Whether <see cref="RunAsEngine"/> takes the Winograd path.</summary>
    public bool UsesWinograd => _winograd is not null;

    /// <summary>The forward as ConvOperator runs it: Winograd F(2x2,3x3) where it applies, im2col + GEMM otherwise.</summary>
    public void RunAsEngine()
    {
        if (_winograd is not null) WinogradConvolution.Forward(_geometry, _input, _winograd, _bias, _output);
        else Run();
    }

    /// <summary>The data gradient as ConvOperator runs it.</summary>
    public void RunBackwardDataAsEngine()
    {
        if (_winogradGradient is not null) WinogradConvolution.Forward(_gradientGeometry!, _output, _winogradGradient, default, _inputGradient);
        else RunBackwardDataTransposed();
    }

    public ConvolutionGeometry Geometry => _geometry;

    public void Run() => Convolution.Forward(_geometry, _input, _weights, _packed, _bias, _output);

    /// <summary>The data gradient (what saliency needs), with the output buffer as the incoming gradient.</summary>
    public void RunBackwardData() => Convolution.BackwardData(_geometry, _output, _weights, _inputGradient);

    /// <summary>The same with the weights transposed ahead, as ConvOperator caches them.</summary>
    public void RunBackwardDataTransposed() => Convolution.BackwardData(_geometry, _output, _weights, _transposed, _inputGradient);
}
