using CnnLens.Attribution;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// Images described by their Fourier spectrum (Olah et al., "Feature Visualization", 2017): the
/// parameters are a complex half spectrum per channel, [N, C, 2, H, W/2+1], scaled by 1/f (each
/// frequency's amplitude divided by its frequency, floored at 1/max(H,W), times √(H·W)) before the
/// inverse real DFT, and the image divided by 4, as Lucid's <c>fft_image</c> does. Equal steps in the
/// parameters then change every frequency by a similar share of natural-image energy, so gradient
/// ascent stops favouring the high-frequency patterns that plain pixel parameters drift into.
/// </summary>
public sealed class FourierParameterization
{
    /// <summary>Standard deviation of the initial (unscaled) spectrum, as in Lucid.</summary>
    public const double InitialDeviation = 0.01;

    private readonly SpectralImage _spectral;
    private readonly float[] _scale; // [H, K]

    public FourierParameterization(int channels, int height, int width, double decayPower = 1)
    {
        if (channels < 1) throw new InvalidOptionException($"channel count must be positive, got {channels}");
        Channels = channels;
        _spectral = new SpectralImage(height, width, outputScale: 0.25f);
        int columns = _spectral.Columns;
        _scale = new float[height * columns];
        double floor = 1.0 / Math.Max(height, width), energy = Math.Sqrt((double)height * width);
        for (int ky = 0; ky < height; ky++)
            for (int kx = 0; kx < columns; kx++)
                _scale[ky * columns + kx] = (float)(energy / Math.Pow(Math.Max(_spectral.Frequency(ky, kx), floor), decayPower));
    }

    public int Channels { get; }

    public int Height => _spectral.Height;

    public int Width => _spectral.Width;

    /// <summary>Parameters per image: C · 2 · H · (W/2+1).</summary>
    public int LengthPerImage => Channels * _spectral.SpectrumLength;

    /// <summary>Seeded initial parameters: image n draws from stream (seed, n), so it does not depend on the batch size.</summary>
    public float[] Initial(int batch, long seed, long firstImage = 0)
    {
        var parameters = new float[batch * LengthPerImage];
        for (int n = 0; n < batch; n++)
        {
            var random = new SeededRandom(seed, firstImage + n, 0x5EC7);
            for (int i = 0; i < LengthPerImage; i++) parameters[n * LengthPerImage + i] = (float)(InitialDeviation * random.NextGaussian());
        }
        return parameters;
    }

    /// <summary>The unbounded image [N, C, H, W] (before colour decorrelation and the sigmoid).</summary>
    public Tensor Forward(float[] parameters)
    {
        int batch = CheckLength(parameters.Length);
        int planes = batch * Channels, spectrum = _spectral.SpectrumLength, plane = Height * Width;
        var image = new Tensor(batch, Channels, Height, Width);
        Parallelism.For(planes, (start, end) =>
        {
            var scaled = new float[spectrum];
            for (int p = start; p < end; p++)
            {
                var source = parameters.AsSpan(p * spectrum, spectrum);
                for (int i = 0; i < spectrum; i++) scaled[i] = source[i] * _scale[i % _scale.Length];
                _spectral.Forward(scaled, image.Data.AsSpan(p * plane, plane));
            }
        }, costPerItem: 4.0 * spectrum * Height);
        return image;
    }

    /// <summary>Gradient at the image [N, C, H, W] to the gradient at the parameters.</summary>
    public float[] Backward(Tensor imageGradient)
    {
        int batch = imageGradient.Dim(0);
        int planes = batch * Channels, spectrum = _spectral.SpectrumLength, plane = Height * Width;
        var gradient = new float[batch * LengthPerImage];
        Parallelism.For(planes, (start, end) =>
        {
            for (int p = start; p < end; p++)
            {
                var target = gradient.AsSpan(p * spectrum, spectrum);
                _spectral.Backward(imageGradient.Data.AsSpan(p * plane, plane), target);
                for (int i = 0; i < spectrum; i++) target[i] *= _scale[i % _scale.Length];
            }
        }, costPerItem: 4.0 * spectrum * Height);
        return gradient;
    }

    private int CheckLength(int length) =>
        length % LengthPerImage == 0 && length > 0 ? length / LengthPerImage
            : throw new ShapeMismatchException($"{length} spectrum parameters are not a whole number of images of {LengthPerImage}");
}
