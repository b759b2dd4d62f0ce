namespace CnnLens.Benchmarks;

/// <summary>Convolution layers from ResNet-18 and MobileNetV2 (batch 1), shared by both benchmark modes.</summary>
public static class ConvolutionLayers
{
    public sealed record Layer(string Name, int Channels, int Size, int OutChannels, int Kernel, int Stride, int Pad, int Group)
    {
        public int OutSize => (Size + 2 * Pad - Kernel) / Stride + 1;

        public double Flops => 2.0 * OutChannels * OutSize * OutSize * (Channels / Group) * Kernel * Kernel;

        public ConvolutionRun Create() => new(this);

        public override string ToString() => Name;
    }

    /// <summary>Every convolution of ResNet-18 at 224x224 (repeats listed as often as they occur).</summary>
    public static readonly Layer[] ResNet18 =
    [
        new("stem", 3, 224, 64, 7, 2, 3, 1),
        new("l1", 64, 56, 64, 3, 1, 1, 1), new("l1", 64, 56, 64, 3, 1, 1, 1), new("l1", 64, 56, 64, 3, 1, 1, 1), new("l1", 64, 56, 64, 3, 1, 1, 1),
        new("l2a", 64, 56, 128, 3, 2, 1, 1), new("l2ds", 64, 56, 128, 1, 2, 0, 1),
        new("l2", 128, 28, 128, 3, 1, 1, 1), new("l2", 128, 28, 128, 3, 1, 1, 1), new("l2", 128, 28, 128, 3, 1, 1, 1),
        new("l3a", 128, 28, 256, 3, 2, 1, 1), new("l3ds", 128, 28, 256, 1, 2, 0, 1),
        new("l3", 256, 14, 256, 3, 1, 1, 1), new("l3", 256, 14, 256, 3, 1, 1, 1), new("l3", 256, 14, 256, 3, 1, 1, 1),
        new("l4a", 256, 14, 512, 3, 2, 1, 1), new("l4ds", 256, 14, 512, 1, 2, 0, 1),
        new("l4", 512, 7, 512, 3, 1, 1, 1), new("l4", 512, 7, 512, 3, 1, 1, 1), new("l4", 512, 7, 512, 3, 1, 1, 1),
    ];

    public static readonly Layer[] All =
    [
        new("resnet stem 3x224 7x7/2 -> 64", 3, 224, 64, 7, 2, 3, 1),
        new("resnet 64x56 3x3 -> 64", 64, 56, 64, 3, 1, 1, 1),
        new("resnet 128x28 3x3 -> 128", 128, 28, 128, 3, 1, 1, 1),
        new("resnet 256x14 3x3 -> 256", 256, 14, 256, 3, 1, 1, 1),
        new("resnet 512x7 3x3 -> 512", 512, 7, 512, 3, 1, 1, 1),
        new("resnet 64x56 1x1/2 -> 128", 64, 56, 128, 1, 2, 0, 1),
        new("1x1 256x14 -> 1024", 256, 14, 1024, 1, 1, 0, 1),
        new("depthwise 144x56 3x3", 144, 56, 144, 3, 1, 1, 144),
        new("depthwise 144x56 3x3/2", 144, 56, 144, 3, 2, 1, 144),
    ];
}
