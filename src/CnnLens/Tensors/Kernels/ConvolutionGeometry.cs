namespace CnnLens.Tensors.Kernels;

/// <summary>
/// Sizes of one 2-D NCHW convolution: input [N, C, H, W], weights [M, C/groups, kH, kW], output
/// [N, M, outH, outW]. 1-D convolutions are expressed with height 1. Pads may be asymmetric.
/// </summary>
public sealed record ConvolutionGeometry
{
    public required int Batch { get; init; }
    public required int InChannels { get; init; }
    public required int InHeight { get; init; }
    public required int InWidth { get; init; }
    public required int OutChannels { get; init; }
    public required int KernelHeight { get; init; }
    public required int KernelWidth { get; init; }
    public int StrideHeight { get; init; } = 1;
    public int StrideWidth { get; init; } = 1;
    public int DilationHeight { get; init; } = 1;
    public int DilationWidth { get; init; } = 1;
    public int PadTop { get; init; }
    public int PadLeft { get; init; }
    public int PadBottom { get; init; }
    public int PadRight { get; init; }
    public int Groups { get; init; } = 1;

    public int OutHeight => (InHeight + PadTop + PadBottom - ((KernelHeight - 1) * DilationHeight + 1)) / StrideHeight + 1;

    public int OutWidth => (InWidth + PadLeft + PadRight - ((KernelWidth - 1) * DilationWidth + 1)) / StrideWidth + 1;

    public int InChannelsPerGroup => InChannels / Groups;

    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Values in one input plane (H * W).</summary>
    public int InSpatial => InHeight * InWidth;

    /// <summary>Values in one output plane (outH * outW): the N of each GEMM.</summary>
    public int OutSpatial => OutHeight * OutWidth;

    /// <summary>Rows of the im2col matrix, (C/groups) * kH * kW: the K of each GEMM.</summary>
    public int PatchSize => InChannelsPerGroup * KernelHeight * KernelWidth;

    /// <summary>A 1x1, stride-1, unpadded convolution multiplies the input planes directly (no im2col).</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1
        && PadTop == 0 && PadLeft == 0 && PadBottom == 0 && PadRight == 0;

    /// <summary>One filter per channel (MobileNet style): handled by a direct SIMD loop instead of GEMM.</summary>
    public bool IsDepthwise => Groups == InChannels && Groups == OutChannels && Groups > 1;

    /// <summary>Throws <see cref="ShapeMismatchException"/> when the sizes cannot describe a convolution.</summary>
    public void Validate()
    {
        if (Batch < 0 || InChannels <= 0 || InHeight <= 0 || InWidth <= 0 || OutChannels <= 0 || KernelHeight <= 0 || KernelWidth <= 0)
            throw new ShapeMismatchException($"convolution sizes must be positive (input [{Batch},{InChannels},{InHeight},{InWidth}], {OutChannels} filters of {KernelHeight}x{KernelWidth})");
        if (StrideHeight <= 0 || StrideWidth <= 0 || DilationHeight <= 0 || DilationWidth <= 0)
            throw new ShapeMismatchException($"convolution strides and dilations must be positive, got strides {StrideHeight},{StrideWidth} dilations {DilationHeight},{DilationWidth}");
        if (PadTop < 0 || PadLeft < 0 || PadBottom < 0 || PadRight < 0)
            throw new ShapeMismatchException("convolution pads must not be negative");
        if (Groups <= 0 || InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw new ShapeMismatchException($"convolution group {Groups} must divide input channels {InChannels} and output channels {OutChannels}");
        if (OutHeight <= 0 || OutWidth <= 0)
            throw new ShapeMismatchException($"convolution kernel {KernelHeight}x{KernelWidth} (dilated) does not fit the padded input {InHeight}x{InWidth}");
    }
}
