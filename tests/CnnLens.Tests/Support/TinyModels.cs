using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;

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

    /// <summary>Rows and columns of the only region <see cref="Region"/>'s class-0 logit looks at.</summary>
    public static readonly (int Top, int Left, int Height, int Width) RegionBox = (8, 16, 8, 8);

    /// <summary>
    /// A model on [N,3,32,32] whose class-0 logit depends only on the pixels inside
    /// <see cref="RegionBox"/>: logit0 = mean over all pixels of relu(x0 + 0.5·x1 + 0.25·x2)·inside,
    /// logit1 = 0.1 (a constant). The masked feature map is tensor "masked" [N,2,32,32] (zero outside
    /// the box, channel 1 always zero), the layer for CAM methods. Region-faithfulness tests explain
    /// class 0 of an image with positive pixels everywhere: all positive evidence lies in the box.
    /// </summary>
    public static Model Region()
    {
        const int size = 32;
        var weight = Tensor.FromValues([2, 3, 1, 1], 1f, 0.5f, 0.25f, 0.3f, 0.3f, 0.3f);
        var mask = new Tensor(1, 2, size, size);
        var (top, left, height, width) = RegionBox;
        for (int y = top; y < top + height; y++)
            for (int x = left; x < left + width; x++) mask[0, 0, y, x] = 1;
        var onnx = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "region",
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(null, "N"), new(3, null), new(size, null), new(size, null)] } },
                Outputs = { new OnnxValueInfo { Name = "logits" } },
                Initializers = { ["w"] = weight, ["mask"] = mask, ["bias"] = Tensor.FromValues([2], 0f, 0.1f) },
                Nodes =
                {
                    new OnnxNode { Name = "conv", OpType = "Conv", Inputs = ["x", "w"], Outputs = ["features"] },
                    new OnnxNode { Name = "relu", OpType = "Relu", Inputs = ["features"], Outputs = ["rectified"] },
                    new OnnxNode { Name = "select", OpType = "Mul", Inputs = ["rectified", "mask"], Outputs = ["masked"] },
                    new OnnxNode { Name = "pool", OpType = "GlobalAveragePool", Inputs = ["masked"], Outputs = ["pooled"] },
                    new OnnxNode { Name = "flatten", OpType = "Flatten", Inputs = ["pooled"], Outputs = ["flat"] },
                    new OnnxNode { Name = "classes", OpType = "Add", Inputs = ["flat", "bias"], Outputs = ["logits"] },
                },
            },
            Opsets = { [""] = 13 },
        };
        return Model.FromOnnx(onnx, "region");
    }
}
