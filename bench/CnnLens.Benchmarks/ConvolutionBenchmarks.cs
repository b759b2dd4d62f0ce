using BenchmarkDotNet.Attributes;
using CnnLens.Tensors;

namespace CnnLens.Benchmarks;

/// <summary>ResNet-18 and depthwise (MobileNetV2) convolution layers at batch 1, on 1 and 2 threads.</summary>
[Config(typeof(GflopsConfig))]
public class ConvolutionBenchmarks
{
    private ConvolutionRun? _run;

    public static IEnumerable<ConvolutionLayers.Layer> Layers => ConvolutionLayers.All;

    [ParamsSource(nameof(Layers))]
    public ConvolutionLayers.Layer Layer { get; set; } = ConvolutionLayers.All[0];

    [Params(1, 2)]
    public int Threads { get; set; }

    public double Flops => Layer.Flops;

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = Threads;
        _run = Layer.Create();
    }

    [Benchmark]
    public void Forward() => _run!.Run();
}

/// <summary>Every convolution of ResNet-18 in sequence: the bulk of a batch-1 forward pass.</summary>
[Config(typeof(GflopsConfig))]
public class ResNet18ConvolutionBenchmarks
{
    private ConvolutionRun[] _runs = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    public double Flops => ConvolutionLayers.ResNet18.Sum(l => l.Flops);

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = Threads;
        _runs = ConvolutionLayers.ResNet18.Select(l => l.Create()).ToArray();
    }

    [Benchmark]
    public void AllConvolutions()
    {
        foreach (var run in _runs) run.Run();
    }
}
