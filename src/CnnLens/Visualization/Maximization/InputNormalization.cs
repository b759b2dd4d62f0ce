namespace CnnLens.Visualization.Maximization;

/// <summary>The model's preprocessing after ToTensor: (x − mean[c]) / std[c] per channel, and its transpose.</summary>
public sealed class InputNormalization
{
    private static readonly float[] ImagenetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImagenetStd = [0.229f, 0.224f, 0.225f];
    private readonly float[] _mean;
    private readonly float[] _std;

    public InputNormalization(int channels, float[]? mean, float[]? std)
    {
        _mean = Expand(mean ?? (channels == 3 ? ImagenetMean : [0f]), channels, "mean");
        _std = Expand(std ?? (channels == 3 ? ImagenetStd : [1f]), channels, "std");
        if (_std.Any(s => !(s > 0))) throw new InvalidOptionException("every std must be positive");
    }

    /// <summary>Normalises a 0..1 image batch [N,C,H,W] into a new tensor.</summary>
    public Tensors.Tensor Forward(Tensors.Tensor image) => Map(image, (v, c) => (v - _mean[c]) / _std[c]);

    /// <summary>Gradient at the normalised input to gradient at the 0..1 image.</summary>
    public Tensors.Tensor Backward(Tensors.Tensor gradient) => Map(gradient, (g, c) => g / _std[c]);

    private static Tensors.Tensor Map(Tensors.Tensor x, Func<float, int, float> f)
    {
        var result = new Tensors.Tensor(x.ShapeArray);
        int channels = x.Dim(1), plane = x.Dim(2) * x.Dim(3);
        for (int i = 0; i < x.Length; i++) result.Data[i] = f(x.Data[i], i / plane % channels);
        return result;
    }

    private static float[] Expand(float[] values, int channels, string what) =>
        values.Length == channels ? values
        : values.Length == 1 ? Enumerable.Repeat(values[0], channels).ToArray()
        : throw new InvalidOptionException($"{what} has {values.Length} values; the model takes {channels} channels");
}
