using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Tests.Visualization;

/// <summary>
/// A model on [N,3,32,32] with two hand-set 16x16 convolution channels: channel 0 weighs pixel
/// column x by cos(2πx/4)/48 (summed over rows and colours), so it answers vertical stripes of period
/// 4 pixels (8 cycles across the image); channel 1 is the same along rows (horizontal stripes).
/// Both kernels sum to zero, so flat images give 0. "features" = Relu(conv) [N,2,17,17]; logits =
/// their spatial means [N,2].
/// </summary>
public static class StripeDetectorModel
{
    public const int Size = 32, Kernel = 16, Period = 4;

    /// <summary>Cycles per image width of the stripes channel 0 answers: 32 / 4 = 8.</summary>
    public const int Frequency = Size / Period;

    public static OnnxModel Build()
    {
        var weight = new Tensor(2, 3, Kernel, Kernel);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < Kernel; y++)
                for (int x = 0; x < Kernel; x++)
                {
                    weight[0, c, y, x] = (float)(Math.Round(Math.Cos(2 * Math.PI * x / Period)) / (3 * Kernel));
                    weight[1, c, y, x] = (float)(Math.Round(Math.Cos(2 * Math.PI * y / Period)) / (3 * Kernel));
                }
        return new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "stripe-detector",
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(null, "N"), new(3, null), new(Size, null), new(Size, null)] } },
                Outputs = { new OnnxValueInfo { Name = "logits" } },
                Initializers = { ["w"] = weight },
                Nodes =
                {
                    new OnnxNode { Name = "conv", OpType = "Conv", Inputs = ["x", "w"], Outputs = ["conv"] },
                    new OnnxNode { Name = "relu", OpType = "Relu", Inputs = ["conv"], Outputs = ["features"] },
                    new OnnxNode { Name = "pool", OpType = "GlobalAveragePool", Inputs = ["features"], Outputs = ["pooled"] },
                    new OnnxNode { Name = "flatten", OpType = "Flatten", Inputs = ["pooled"], Outputs = ["logits"] },
                },
            },
            Opsets = { [""] = 13 },
        };
    }

    public static Model Load() => Model.FromOnnx(Build(), "stripe-detector");
}
