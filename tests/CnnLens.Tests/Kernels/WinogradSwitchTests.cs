using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Kernels;

/// <summary>Tests that change the engine's process-wide Winograd switch run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineSettingsCollection
{
    public const string Name = "engine settings";
}

[Collection(EngineSettingsCollection.Name)]
public class WinogradSwitchTests
{
    private static ConvolutionGeometry Geometry() => new()
    {
        Batch = 1, InChannels = 16, InHeight = 12, InWidth = 12, OutChannels = 16,
        KernelHeight = 3, KernelWidth = 3, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1,
    };

    [Fact]
    public void DisablingWinogradSendsTheOperatorBackToIm2col()
    {
        var g = Geometry();
        var random = new Random(10);
        var x = TestTensors.Random(random, 1, 16, 12, 12);
        var w = TestTensors.Random(random, 16, 16, 3, 3);
        var viaWinograd = new float[16 * 144];
        var viaIm2col = new float[16 * 144];
        WinogradConvolution.Forward(g, x.Data, WinogradConvolution.TransformWeights(g, w.Data), default, viaWinograd);
        Convolution.Forward(g, x.Data, w.Data, null, default, viaIm2col);
        Assert.NotEqual(viaWinograd, viaIm2col); // the two algorithms round differently: the check below can tell them apart
        bool saved = WinogradConvolution.Enabled;
        try
        {
            foreach (bool enabled in new[] { true, false })
            {
                WinogradConvolution.Enabled = enabled;
                var conv = new ConvOperator(TestTensors.Attributes(("pads", new long[] { 1, 1, 1, 1 })), 13);
                Assert.Equal(enabled ? viaWinograd : viaIm2col, conv.Forward([x, w])[0].Data);
            }
        }
        finally { WinogradConvolution.Enabled = saved; }
    }

    [Fact]
    public void LowMemoryPredictMatchesPyTorchAndTurnsWinogradOff()
    {
        // vgg11_bn's 16-channel 3x3 layers at 16x16 take the Winograd path unless --low-memory.
        using var dir = new TempDirectory();
        try
        {
            var result = CliRunner.Run("predict", "--model", RepositoryPaths.Fixture("engine", "vgg11_bn.onnx"),
                "--input", RepositoryPaths.Fixture("engine", "vgg11_bn_input_b1.npy"), "--low-memory", "--npy", dir.File("logits.npy"));
            Assert.Equal(0, result.ExitCode);
            Assert.False(WinogradConvolution.Enabled);
            Compare.RelativeToLargest(EngineFixtures.Read("vgg11_bn", "logits_b1").Data, CnnLens.Reports.NpyFile.Read(dir.File("logits.npy")).Data, 1e-4);
        }
        finally { WinogradConvolution.Enabled = true; }
    }
}
