using CnnLens.Tensors.Kernels;
using CnnLens.Visualization.Maximization;

namespace CnnLens.Tests.Kernels;

/// <summary>
/// The lane-batched FFT and the FFT-based irfft2 against the textbook DFT sums in double precision,
/// on powers of two, odd composites, primes, 224 (2⁵·7, the usual image size) and 1- and 2-point edges.
/// </summary>
public class BatchedFourierTransformTests
{
    private static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 16)]
    [InlineData(3, 32)]
    [InlineData(4, 16)]
    [InlineData(5, 16)]
    [InlineData(8, 16)]
    [InlineData(12, 16)]
    [InlineData(15, 16)]
    [InlineData(49, 16)]
    [InlineData(64, 16)]
    [InlineData(90, 16)]
    [InlineData(113, 16)]
    [InlineData(224, 32)]
    public void Transform_equals_the_naive_dft_both_ways(int length, int lanes)
    {
        var fft = new BatchedFourierTransform(length);
        foreach (bool inverse in new[] { false, true })
        {
            var re = RandomValues(length * lanes, length);
            var im = RandomValues(length * lanes, length + 1);
            var (expectedRe, expectedIm) = NaiveDft(re, im, length, lanes, inverse);
            fft.Transform(re, im, new float[length * lanes], new float[length * lanes], lanes, inverse);
            // float butterflies: error grows like log N · √N of the inputs' size (|x| ≤ 1).
            double tolerance = 2e-6 * length;
            for (int i = 0; i < re.Length; i++)
            {
                Assert.Equal(expectedRe[i], re[i], tolerance);
                Assert.Equal(expectedIm[i], im[i], tolerance);
            }
        }
    }

    [Fact]
    public void Lanes_must_be_whole_vectors()
    {
        var fft = new BatchedFourierTransform(4);
        Assert.Throws<ArgumentException>(() => fft.Transform(new float[40], new float[40], new float[40], new float[40], 10, false));
        Assert.Throws<CnnLens.InvalidOptionException>(() => new BatchedFourierTransform(0));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(1, 5)]
    [InlineData(3, 1)]
    [InlineData(7, 10)]
    [InlineData(17, 9)]
    [InlineData(224, 224)]
    public void Spectral_image_equals_the_naive_inverse_real_dft(int height, int width)
    {
        var transform = new SpectralImage(height, width);
        int columns = width / 2 + 1, planes = 2;
        var spectra = RandomValues(planes * transform.SpectrumLength, height * 31 + width);
        var images = new float[planes * height * width];
        transform.Forward(spectra, images, planes);
        for (int plane = 0; plane < planes; plane++)
        {
            var expected = NaiveInverseRealDft(spectra.AsSpan(plane * transform.SpectrumLength, transform.SpectrumLength), height, width, columns);
            // Sums of H·K unit-size terms: compare at float precision relative to that size.
            double tolerance = 4e-7 * Math.Sqrt((double)height * columns) * Math.Log2(2.0 * height * width) + 1e-6;
            for (int i = 0; i < height * width; i++) Assert.Equal(expected[i], images[plane * height * width + i], tolerance);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 8)]
    [InlineData(6, 7)]
    [InlineData(224, 224)]
    public void Spectral_image_backward_is_the_exact_transpose(int height, int width)
    {
        // <F s, g> = <s, Fᵀ g> for random s and g, computed in double from the float results.
        var transform = new SpectralImage(height, width, outputScale: 0.25f, spectrumScale: RandomValues(height * (width / 2 + 1), 3));
        var spectrum = RandomValues(transform.SpectrumLength, 1);
        var gradient = RandomValues(height * width, 2);
        var image = new float[height * width];
        var spectrumGradient = new float[transform.SpectrumLength];
        transform.Forward(spectrum, image, 1);
        transform.Backward(gradient, spectrumGradient, 1);
        double left = 0, right = 0, size = 0;
        for (int i = 0; i < image.Length; i++) { left += (double)image[i] * gradient[i]; size += Math.Abs((double)image[i] * gradient[i]); }
        for (int i = 0; i < spectrum.Length; i++) right += (double)spectrum[i] * spectrumGradient[i];
        Assert.Equal(left, right, 1e-5 * size + 1e-9);
    }

    private static (double[] Re, double[] Im) NaiveDft(float[] re, float[] im, int length, int lanes, bool inverse)
    {
        var outRe = new double[re.Length];
        var outIm = new double[re.Length];
        double sign = inverse ? 1 : -1;
        for (int k = 0; k < length; k++)
            for (int lane = 0; lane < lanes; lane++)
            {
                double sumRe = 0, sumIm = 0;
                for (int n = 0; n < length; n++)
                {
                    double angle = sign * 2 * Math.PI * ((long)k * n % length) / length;
                    double c = Math.Cos(angle), s = Math.Sin(angle);
                    sumRe += re[n * lanes + lane] * c - im[n * lanes + lane] * s;
                    sumIm += re[n * lanes + lane] * s + im[n * lanes + lane] * c;
                }
                outRe[k * lanes + lane] = sumRe;
                outIm[k * lanes + lane] = sumIm;
            }
        return (outRe, outIm);
    }

    /// <summary>
    /// numpy's irfft2 written out: image[y, x] = Σ_ky Σ_kx c_kx · Re(X[ky, kx] · e^{2πi(ky·y/H + kx·x/W)}) / (H·W),
    /// c = 1 for the DC and Nyquist columns (whose imaginary parts drop out), 2 for the others. Separable, in double.
    /// </summary>
    private static double[] NaiveInverseRealDft(ReadOnlySpan<float> spectrum, int height, int width, int columns)
    {
        // cos/sin of 2π·m/N for every m once (the sums below only need angles that are whole multiples).
        double[] cosH = Enumerable.Range(0, height).Select(m => Math.Cos(2 * Math.PI * m / height)).ToArray();
        double[] sinH = Enumerable.Range(0, height).Select(m => Math.Sin(2 * Math.PI * m / height)).ToArray();
        double[] cosW = Enumerable.Range(0, width).Select(m => Math.Cos(2 * Math.PI * m / width)).ToArray();
        double[] sinW = Enumerable.Range(0, width).Select(m => Math.Sin(2 * Math.PI * m / width)).ToArray();
        var alongRe = new double[height * columns];
        var alongIm = new double[height * columns];
        for (int y = 0; y < height; y++)
            for (int kx = 0; kx < columns; kx++)
                for (int ky = 0; ky < height; ky++)
                {
                    int angle = (int)((long)ky * y % height);
                    double re = spectrum[ky * columns + kx], im = spectrum[(height + ky) * columns + kx];
                    alongRe[y * columns + kx] += re * cosH[angle] - im * sinH[angle];
                    alongIm[y * columns + kx] += re * sinH[angle] + im * cosH[angle];
                }
        var image = new double[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double sum = 0;
                for (int kx = 0; kx < columns; kx++)
                {
                    double weight = kx == 0 || (width % 2 == 0 && kx == width / 2) ? 1 : 2;
                    int angle = (int)((long)kx * x % width);
                    sum += weight * (alongRe[y * columns + kx] * cosW[angle] - alongIm[y * columns + kx] * sinW[angle]);
                }
                image[y * width + x] = sum / ((double)height * width);
            }
        return image;
    }
}
