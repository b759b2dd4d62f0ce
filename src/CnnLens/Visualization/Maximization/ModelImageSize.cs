using CnnLens.Graph;

namespace CnnLens.Visualization.Maximization;

/// <summary>What the model's declared input [N,C,H,W] fixes: the channel count and, when static, the image size.</summary>
public static class ModelImageSize
{
    /// <summary>Channels of the declared input (3 when undeclared).</summary>
    public static int Channels(Model model) =>
        model.InputShape is { Length: 4 } shape && shape[1].Value is long c && c > 0 ? (int)c : 3;

    /// <summary>The static height and width of the declared input, or null when either is symbolic (any size runs).</summary>
    public static (int Height, int Width)? Fixed(Model model) =>
        model.InputShape is { Length: 4 } shape && shape[2].Value is long h && h > 0 && shape[3].Value is long w && w > 0
            ? ((int)h, (int)w)
            : null;
}
