using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Mean over axes (axes an input from opset 18); dx = dy broadcast back / count.</summary>
[OnnxOperator("ReduceMean")]
public sealed class ReduceMeanOperator(OnnxAttributes attributes, int opset) : ReduceOperator(attributes, opset)
{
    protected override string OpType => "ReduceMean";

    protected override int AxesBecameInputAt => 18;

    protected override Tensor Reduce(Tensor x, int[] keptShape, bool[] reduced)
    {
        var sum = Broadcasting.ReduceTo(x, keptShape);
        var result = new Tensor(keptShape);
        float scale = 1f / Count(x, keptShape);
        for (int i = 0; i < result.Length; i++) result.Data[i] = sum.Data[i] * scale;
        return result;
    }

    protected override Tensor Gradient(Tensor x, Tensor keptOutput, Tensor keptGradient)
    {
        var result = Broadcasting.BroadcastTo(keptGradient, x.ShapeArray);
        float scale = 1f / Count(x, keptOutput.ShapeArray);
        for (int i = 0; i < result.Length; i++) result.Data[i] *= scale;
        return result;
    }

    private static float Count(Tensor x, int[] keptShape) => keptShape.Length == 0 ? 1 : (float)x.Length / Tensor.CheckedLength(keptShape);
}
