namespace CnnLens.Training;

/// <summary>The networks <c>cnnlens train</c> can build.</summary>
public enum Architecture
{
    /// <summary>LeNet-5 style: conv5(6, pad 2)-relu-maxpool, conv5(16)-relu-maxpool, fc120-relu, fc84-relu, fc.</summary>
    LeNet,

    /// <summary>CNN Explainer's Tiny VGG: [conv3-relu-conv3-relu-maxpool] x 2 (no padding, 10 channels), flatten, linear.</summary>
    TinyVgg,

    /// <summary>A small ResNet: conv3-BN-relu stem, basic blocks at 16, 32 (stride 2) and 64 (stride 2) channels, global average pool, linear.</summary>
    ResNet,
}

public static class ArchitectureNames
{
    public const string Choices = "lenet, tiny-vgg, resnet";

    public static Architecture Parse(string name) => name.ToLowerInvariant() switch
    {
        "lenet" => Architecture.LeNet,
        "tiny-vgg" or "tinyvgg" => Architecture.TinyVgg,
        "resnet" => Architecture.ResNet,
        _ => throw new InvalidOptionException($"unknown architecture '{name}'; use {Choices}"),
    };

    public static string Name(Architecture architecture) => architecture switch
    {
        Architecture.LeNet => "lenet",
        Architecture.TinyVgg => "tiny-vgg",
        _ => "resnet",
    };
}
