using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Cli.Commands;

/// <summary>
/// A two-class CNN with hand-set weights: a vertical and a horizontal edge filter, ReLU, global
/// average pooling and an identity classifier. Its answer can be derived by hand, which makes it
/// the demo's model until trained ones ship.
/// </summary>
public static class StripeModel
{
    public const int Size = 16;

    public static OnnxModel Build()
    {
        float[] vertical = [-1, 0, 1, -1, 0, 1, -1, 0, 1];
        float[] horizontal = [-1, -1, -1, 0, 0, 0, 1, 1, 1];
        var graph = new OnnxGraph
        {
            Name = "stripes",
            Inputs = { new OnnxValueInfo { Name = "image", Shape = [new(null, "batch"), new(1, null), new(Size, null), new(Size, null)] } },
            Outputs = { new OnnxValueInfo { Name = "logits", Shape = [new(null, "batch"), new(2, null)] } },
            Initializers =
            {
                ["edges.weight"] = new Tensor([2, 1, 3, 3], [.. vertical, .. horizontal]),
                ["fc.weight"] = new Tensor([2, 2], [1, 0, 0, 1]),
                ["fc.bias"] = new Tensor([2], [0, 0]),
            },
            Nodes =
            {
                Node("Conv", ["image", "edges.weight"], ["edges"]),
                Node("Relu", ["edges"], ["edges_relu"]),
                Node("GlobalAveragePool", ["edges_relu"], ["pooled"]),
                Node("Flatten", ["pooled"], ["features"]),
                Node("Gemm", ["features", "fc.weight", "fc.bias"], ["logits"], ("transB", 1L)),
            },
        };
        return new OnnxModel
        {
            Graph = graph,
            Opsets = { [""] = 13 },
            ProducerName = "cnnlens-demo",
            Metadata = { [ClassLabels.MetadataKey] = "[\"vertical stripes\",\"horizontal stripes\"]" },
        };
    }

    /// <summary>A [1,1,16,16] image of 2-pixel-wide stripes.</summary>
    public static Tensor Stripes(bool vertical)
    {
        var image = new Tensor(1, 1, Size, Size);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                image[0, 0, y, x] = ((vertical ? x : y) / 2) % 2;
        return image;
    }

    private static OnnxNode Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = new OnnxNode { Name = outputs[0], OpType = op, Inputs = inputs, Outputs = outputs };
        foreach (var (name, value) in attributes) node.Attributes.Set(name, value);
        return node;
    }
}
