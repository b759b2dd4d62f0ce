using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;
using Xunit;

namespace CnnLens.Tests.Attribution;

/// <summary>Batch-norm folding on hand-built dense models, against the unfolded model's own numbers.</summary>
public class LrpCanonizerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void GemmFollowedByBatchNormFoldsToTheSameFunction(long transB)
    {
        // BN: scale [2, −1, 0.5], shift [0.1, 0.2, −0.3], mean [1, −1, 0], var [4, 0.25, 1], ε = 0.
        var onnx = GemmBatchNorm(transB, sharedOutput: false);
        var canonized = LrpCanonizer.FoldBatchNorms(onnx);
        Assert.DoesNotContain(canonized.Graph.Nodes, n => n.OpType == "BatchNormalization");
        Assert.Contains(onnx.Graph.Nodes, n => n.OpType == "BatchNormalization"); // source untouched

        var x = Tensor.FromValues([2, 2], 1f, -2f, 0.5f, 3f);
        var expected = Model.FromOnnx(onnx).Predict(x);
        var actual = Model.FromOnnx(canonized).Predict(x);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected.Data[i], actual.Data[i], 1e-5f);

        // First row by hand: xW = [1·1 + (−2)·3, 1·2 + (−2)·(−1), 1·0 + (−2)·1] + b [0.5, 0, −1] = [−4.5, 4, −3];
        // BN: 2(−4.5 − 1)/2 + 0.1 = −5.4, −(4 + 1)/0.5 + 0.2 = −9.8, 0.5·(−3) − 0.3 = −1.8.
        Assert.Equal(-5.4f, actual.Data[0], 1e-5f);
        Assert.Equal(-9.8f, actual.Data[1], 1e-5f);
        Assert.Equal(-1.8f, actual.Data[2], 1e-5f);
    }

    [Fact]
    public void LayerWhoseOutputIsAlsoUsedElsewhereIsNotFolded()
    {
        var canonized = LrpCanonizer.FoldBatchNorms(GemmBatchNorm(1, sharedOutput: true));
        Assert.Contains(canonized.Graph.Nodes, n => n.OpType == "BatchNormalization");
    }

    /// <summary>y = BN(x·W + b) (W stored [in, out], or [out, in] with transB), optionally plus the Gemm output again.</summary>
    private static OnnxModel GemmBatchNorm(long transB, bool sharedOutput)
    {
        float[] inOut = [1f, 2f, 0f, 3f, -1f, 1f]; // W[i, o]
        var w = transB == 0 ? Tensor.FromValues([2, 3], inOut)
            : Tensor.FromValues([3, 2], inOut[0], inOut[3], inOut[1], inOut[4], inOut[2], inOut[5]);
        var gemm = new OnnxNode { Name = "fc", OpType = "Gemm", Inputs = ["x", "w", "b"], Outputs = ["h"] };
        gemm.Attributes.Set("transB", transB);
        var norm = new OnnxNode { Name = "bn", OpType = "BatchNormalization", Inputs = ["h", "s", "t", "m", "v"], Outputs = [sharedOutput ? "n" : "y"] };
        norm.Attributes.Set("epsilon", 0f);
        var graph = new OnnxGraph
        {
            Name = "canonizer-test",
            Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(null, "N"), new(2, null)] } },
            Outputs = { new OnnxValueInfo { Name = "y" } },
            Initializers =
            {
                ["w"] = w,
                ["b"] = Tensor.FromValues([3], 0.5f, 0f, -1f),
                ["s"] = Tensor.FromValues([3], 2f, -1f, 0.5f),
                ["t"] = Tensor.FromValues([3], 0.1f, 0.2f, -0.3f),
                ["m"] = Tensor.FromValues([3], 1f, -1f, 0f),
                ["v"] = Tensor.FromValues([3], 4f, 0.25f, 1f),
            },
        };
        graph.Nodes.Add(gemm);
        graph.Nodes.Add(norm);
        if (sharedOutput) graph.Nodes.Add(new OnnxNode { Name = "skip", OpType = "Add", Inputs = ["n", "h"], Outputs = ["y"] });
        return new OnnxModel { Graph = graph, Opsets = { [""] = 13 } };
    }
}
