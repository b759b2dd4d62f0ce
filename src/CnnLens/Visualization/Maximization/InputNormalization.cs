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

    /// <summary>The mean subtracted from channel <paramref name="channel"/>.</summary>
    public float MeanOf(int channel) => _mean[channel];

    /// <summary>The standard deviation channel <paramref name="channel"/> is divided by.</summary>
    public float StdOf(int channel) => _std[channel];

    /// <summary>Normalises a 0..1 image batch [N,C,H,W] into a new tensor.</summary>
    public Tensors.Tensor Forward(Tensors.Tensor image) => Map(image, subtract: true);

    /// <summary>Gradient at the normalised input to gradient at the 0..1 image.</summary>
    public Tensors.Tensor Backward(Tensors.Tensor gradient) => Map(gradient, subtract: false);

    private Tensors.Tensor Map(Tensors.Tensor x, bool subtract)
    {
        var result = new Tensors.Tensor(x.ShapeArray);
        int channels = x.Dim(1), plane = x.Dim(2) * x.Dim(3);
        for (int p = 0; p < x.Length / Math.Max(1, plane); p++)
        {
            var source = x.Data.AsSpan(p * plane, plane);
            var target = result.Data.AsSpan(p * plane, plane);
            if (subtract)
            {
                System.Numerics.Tensors.TensorPrimitives.Subtract(source, _mean[p % channels], target);
                System.Numerics.Tensors.TensorPrimitives.Divide(target, _std[p % channels], target);
            }
            else System.Numerics.Tensors.TensorPrimitives.Divide(source, _std[p % channels], target);
        }
        return result;
    }

    private static float[] Expand(float[] values, int channels, string what) =>
        values.Length == channels ? values
        : values.Length == 1 ? Enumerable.Repeat(values[0], channels).ToArray()
        : throw new InvalidOptionException($"{what} has {values.Length} values; the model takes {channels} channels");
}
