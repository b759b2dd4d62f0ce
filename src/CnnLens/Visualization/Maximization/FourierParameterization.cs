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

    public FourierParameterization(int channels, int height, int width, double decayPower = 1)
    {
        if (channels < 1) throw new InvalidOptionException($"channel count must be positive, got {channels}");
        Channels = channels;
        var frequencies = new SpectralImage(height, width);
        int columns = frequencies.Columns;
        var scale = new float[height * columns];
        double floor = 1.0 / Math.Max(height, width), energy = Math.Sqrt((double)height * width);
        for (int ky = 0; ky < height; ky++)
            for (int kx = 0; kx < columns; kx++)
                scale[ky * columns + kx] = (float)(energy / Math.Pow(Math.Max(frequencies.Frequency(ky, kx), floor), decayPower));
        // The 1/f scale and the /4 ride along inside the transform (applied to each coefficient on the way in).
        _spectral = new SpectralImage(height, width, outputScale: 0.25f, spectrumScale: scale);
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
        var image = new Tensor(CheckLength(parameters.Length), Channels, Height, Width);
        Forward(parameters, image);
        return image;
    }

    /// <summary>The unbounded image written into <paramref name="image"/> [N, C, H, W] (no allocation once warm).</summary>
    public void Forward(float[] parameters, Tensor image)
    {
        int batch = CheckLength(parameters.Length);
        CheckImage(image, batch);
        _spectral.Forward(parameters, image.Data, batch * Channels);
    }

    /// <summary>Gradient at the image [N, C, H, W] to the gradient at the parameters.</summary>
    public float[] Backward(Tensor imageGradient)
    {
        var gradient = new float[imageGradient.Dim(0) * LengthPerImage];
        Backward(imageGradient, gradient);
        return gradient;
    }

    /// <summary>Gradient at the image [N, C, H, W] written into <paramref name="gradient"/> (the parameters' length).</summary>
    public void Backward(Tensor imageGradient, float[] gradient)
    {
        int batch = CheckLength(gradient.Length);
        CheckImage(imageGradient, batch);
        _spectral.Backward(imageGradient.Data, gradient, batch * Channels);
    }

    private void CheckImage(Tensor image, int batch)
    {
        if (image.Rank != 4 || image.Dim(0) != batch || image.Dim(1) != Channels || image.Dim(2) != Height || image.Dim(3) != Width)
            throw new ShapeMismatchException($"the spectrum of {batch} images of {Channels}x{Height}x{Width} does not match {image}");
    }

    private int CheckLength(int length) =>
        length % LengthPerImage == 0 && length > 0 ? length / LengthPerImage
            : throw new ShapeMismatchException($"{length} spectrum parameters are not a whole number of images of {LengthPerImage}");
}
