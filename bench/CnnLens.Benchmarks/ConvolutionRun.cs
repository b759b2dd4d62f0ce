using CnnLens.Tensors.Kernels;

namespace CnnLens.Benchmarks;

/// <summary>Buffers and pre-packed weights for one convolution layer, ready to run repeatedly.</summary>
public sealed class ConvolutionRun
{
    private readonly ConvolutionGeometry _geometry;
    private readonly float[] _input, _weights, _bias, _output, _inputGradient;
    private readonly PackedMatrix[] _packed;
    private readonly float[] _transposed;

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
    }

    public ConvolutionGeometry Geometry => _geometry;

    public void Run() => Convolution.Forward(_geometry, _input, _weights, _packed, _bias, _output);

    /// <summary>The data gradient (what saliency needs), with the output buffer as the incoming gradient.</summary>
    public void RunBackwardData() => Convolution.BackwardData(_geometry, _output, _weights, _inputGradient);

    /// <summary>The same with the weights transposed ahead, as ConvOperator caches them.</summary>
    public void RunBackwardDataTransposed() => Convolution.BackwardData(_geometry, _output, _weights, _transposed, _inputGradient);
}
