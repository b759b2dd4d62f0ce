using BenchmarkDotNet.Attributes;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Benchmarks;

/// <summary>
/// Packed SGEMM on square and convolution-shaped products, on 1 and 2 threads. GFLOP/s =
/// 2*M*N*K / mean time; the GflopsColumn prints it next to the timings.
/// </summary>
[Config(typeof(GflopsConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params("256x256x256", "512x512x512", "1024x1024x1024", "64x3136x576", "1x1000x512")]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    public int M => int.Parse(Shape.Split('x')[0]);
    public int N => int.Parse(Shape.Split('x')[1]);
    public int K => int.Parse(Shape.Split('x')[2]);

    /// <summary>Floating-point operations of one call, read by <see cref="GflopsColumn"/>.</summary>
    public double Flops => 2.0 * M * N * K;

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = Threads;
        _a = QuickMeasurements.Fill(M * K);
        _b = QuickMeasurements.Fill(K * N, 2);
        _c = new float[M * N];
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply(false, false, M, N, K, 1f, _a, K, _b, N, 0f, _c, N);
}
