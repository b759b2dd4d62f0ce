namespace CnnLens.Tensors.Kernels;

/// <summary>
/// Sizes of one 2-D NCHW pooling window sweep over planes [Batch*Channels, H, W]. The output size is
/// given explicitly because it depends on ceil_mode (and auto_pad), which the operator resolves.
/// </summary>
public sealed record PoolingGeometry
{
    public required int Planes { get; init; }
    public required int InHeight { get; init; }
    public required int InWidth { get; init; }
    public required int OutHeight { get; init; }
    public required int OutWidth { get; init; }
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

    public int InSpatial => InHeight * InWidth;

    public int OutSpatial => OutHeight * OutWidth;
}
