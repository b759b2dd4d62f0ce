using CnnLens.Onnx;

namespace CnnLens.Tests.Support;

/// <summary>Hand-built ONNX models for engine and error tests.</summary>
public static class TinyModels
{
    /// <summary>One node of <paramref name="opType"/> from input x [1,4] (and more inputs) to output y.</summary>
    public static OnnxModel Single(string opType, string nodeName, string[]? inputs = null) => new()
    {
        Graph = new OnnxGraph
        {
            Name = "tiny",
            Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(1, null), new(4, null)] } },
            Outputs = { new OnnxValueInfo { Name = "y" } },
            Nodes = { new OnnxNode { Name = nodeName, OpType = opType, Inputs = inputs ?? ["x"], Outputs = ["y"] } },
        },
        Opsets = { [""] = 13 },
    };
}
