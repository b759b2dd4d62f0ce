using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// The reference input "absence of signal" is measured against: zero, the per-channel mean of the
/// input, a Gaussian blur of the input (σ = 1/20 of the shorter side, after Sturmfels et al. 2020),
/// or a tensor from a file. Kind names are the CLI's <c>--baseline</c> values.
/// </summary>
public sealed class Baseline
{
    private readonly Func<Tensor, Tensor> _make;

    private Baseline(string name, Func<Tensor, Tensor> make)
    {
        Name = name;
        _make = make;
    }

    public string Name { get; }

    public static Baseline Zero { get; } = new("zero", input => new Tensor(input.ShapeArray));

    public static Baseline Mean { get; } = new("mean", ChannelMean);

    public static Baseline Blur { get; } = new("blur", GaussianBlur);

    /// <summary>Every element <paramref name="value"/> (for example black after normalisation, −mean/std).</summary>
    public static Baseline Constant(float value, string name) => new(name, input => Tensor.Filled(input.ShapeArray, value));

    /// <summary>A fixed tensor: [C,H,W] or [1,C,H,W] is used for every image; [N,C,H,W] per image.</summary>
    public static Baseline FromTensor(Tensor value, string name = "file") => new(name, input =>
    {
        if (value.Length == input.Length) return value.Reshape(input.ShapeArray);
        int perImage = input.Length / input.Dim(0);
        if (value.Length != perImage)
            throw new ShapeMismatchException($"baseline {value} does not fit input {input}; give one image's shape or the whole batch's");
        var result = new Tensor(input.ShapeArray);
        for (int n = 0; n < input.Dim(0); n++) value.Data.CopyTo(result.Data, n * perImage);
        return result;
    });

    /// <summary>The baseline for a batch of inputs [N,C,H,W].</summary>
    public Tensor For(Tensor input) => _make(input);

    public override string ToString() => Name;

    private static Tensor ChannelMean(Tensor input)
    {
        var result = new Tensor(input.ShapeArray);
        int n = input.Dim(0), c = input.Rank > 1 ? input.Dim(1) : 1, plane = input.Length / Math.Max(1, n * c);
        for (int i = 0; i < n * c; i++)
        {
            var source = input.Data.AsSpan(i * plane, plane);
            double sum = 0;
            foreach (float v in source) sum += v;
            result.Data.AsSpan(i * plane, plane).Fill((float)(sum / plane));
        }
        return result;
    }

    private static Tensor GaussianBlur(Tensor input)
    {
        if (input.Rank != 4) throw new ShapeMismatchException($"the blur baseline needs an image batch [N,C,H,W], got {input}");
        int h = input.Dim(2), w = input.Dim(3);
        double sigma = Math.Max(1.0, Math.Min(h, w) / 20.0);
        int radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new float[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) total += kernel[i + radius] = (float)Math.Exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < kernel.Length; i++) kernel[i] = (float)(kernel[i] / total);

        var result = new Tensor(input.ShapeArray);
        var row = new float[h * w];
        for (int plane = 0; plane < input.Dim(0) * input.Dim(1); plane++)
        {
            var source = input.Data.AsSpan(plane * h * w, h * w);
            var target = result.Data.AsSpan(plane * h * w, h * w);
            // Separable passes with edges clamped (replicate), so the blur keeps the image's mean brightness at borders.
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    float s = 0;
                    for (int k = -radius; k <= radius; k++) s += kernel[k + radius] * source[y * w + Math.Clamp(x + k, 0, w - 1)];
                    row[y * w + x] = s;
                }
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    float s = 0;
                    for (int k = -radius; k <= radius; k++) s += kernel[k + radius] * row[Math.Clamp(y + k, 0, h - 1) * w + x];
                    target[y * w + x] = s;
                }
        }
        return result;
    }
}
