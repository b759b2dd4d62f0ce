using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>Input checks and output shape shared by the global pools.</summary>
internal static class GlobalPooling
{
    public static Tensor Input(Tensor?[] inputs, string opType)
    {
        var x = inputs.Length > 0 ? inputs[0] : null;
        if (x is null) throw new ShapeMismatchException($"{opType} needs input X");
        if (x.Rank < 3) throw new ShapeMismatchException($"{opType}: input {x} needs shape [N, C, spatial...]");
        return x;
    }

    public static int[] OutputShape(Tensor x)
    {
        var shape = x.ShapeArray;
        for (int i = 2; i < shape.Length; i++) shape[i] = 1;
        return shape;
    }
}
