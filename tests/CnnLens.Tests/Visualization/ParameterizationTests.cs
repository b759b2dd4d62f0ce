using CnnLens.Reports;
using CnnLens.Tensors;
using CnnLens.Tests.Support;
using CnnLens.Visualization.Maximization;

namespace CnnLens.Tests.Visualization;

/// <summary>
/// The Fourier parameterisation, colour decorrelation and the sigmoid: forward values against numpy's
/// irfft2 and Lucid's formulas (tools/make_maximize_fixtures.py), VJPs against finite differences.
/// </summary>
public class ParameterizationTests
{
    private static Tensor Fixture(string name) => NpyFile.Read(RepositoryPaths.Fixture("maximization", name));

    private static float[] RandomValues(int count, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(scale * (random.NextDouble() * 2 - 1))).ToArray();
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 5)]
    [InlineData(6, 7)]
    public void Spectral_image_equals_numpy_irfft2(int height, int width)
    {
        var spectrum = Fixture($"irfft2_{height}x{width}_spectrum.npy");
        var expected = Fixture($"irfft2_{height}x{width}_image.npy");
        var image = new float[height * width];
        new SpectralImage(height, width).Forward(spectrum.Data, image);
        for (int i = 0; i < image.Length; i++) Assert.Equal(expected.Data[i], image[i], 1e-5);
    }

    [Fact]
    public void Spectral_image_of_one_coefficient_is_a_cosine_wave()
    {
        // Re X[ky=1, kx=2] = 1 on 4x8: that column and its mirror give 2·cos(2π(y/4 + 2x/8)) / (4·8).
        var transform = new SpectralImage(4, 8);
        var spectrum = new float[transform.SpectrumLength];
        spectrum[1 * transform.Columns + 2] = 1;
        var image = new float[32];
        transform.Forward(spectrum, image);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 8; x++)
                Assert.Equal(2 * Math.Cos(2 * Math.PI * (y / 4.0 + 2 * x / 8.0)) / 32, image[y * 8 + x], 1e-6);
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 7)]
    public void Spectral_image_backward_is_the_transpose(int height, int width)
    {
        var transform = new SpectralImage(height, width);
        FiniteDifferences.Check(RandomValues(transform.SpectrumLength, 1),
            p => { var image = new float[height * width]; transform.Forward(p, image); return image; },
            g => { var spectrum = new float[transform.SpectrumLength]; transform.Backward(g, spectrum); return spectrum; },
            step: 0.5);
    }

    [Fact]
    public void Fourier_parameterization_backward_matches_finite_differences()
    {
        var fourier = new FourierParameterization(3, 6, 5);
        FiniteDifferences.Check(RandomValues(2 * fourier.LengthPerImage, 2, 0.05),
            p => fourier.Forward(p).Data,
            g => fourier.Backward(new Tensor([2, 3, 6, 5], g)),
            step: 0.05, relativeTolerance: 2e-3);
    }

    [Fact]
    public void Rendered_image_equals_lucid_fft_image_with_decorrelation_and_sigmoid()
    {
        var parameters = Fixture("lucid_rgb_6x8_params.npy");
        var expected = Fixture("lucid_rgb_6x8_image.npy");
        var image = ActivationMaximization.Render(new FourierParameterization(3, 6, 8), parameters.Data, decorrelate: true);
        Assert.Equal(expected.ShapeArray, image.ShapeArray);
        for (int i = 0; i < image.Length; i++) Assert.Equal(expected.Data[i], image.Data[i], 1e-5);
    }

    [Fact]
    public void Render_backward_matches_finite_differences()
    {
        var fourier = new FourierParameterization(3, 6, 8);
        var point = RandomValues(fourier.LengthPerImage, 4, 0.05);
        var image = ActivationMaximization.Render(fourier, point, decorrelate: true);
        FiniteDifferences.Check(point,
            p => ActivationMaximization.Render(fourier, p, decorrelate: true).Data,
            g => ActivationMaximization.BackwardRender(fourier, image, new Tensor(image.ShapeArray, g), decorrelate: true),
            step: 1e-2, absoluteTolerance: 2e-4, relativeTolerance: 2e-2);
    }

    [Fact]
    public void Color_decorrelation_uses_lucids_matrix_normalised_by_its_largest_column()
    {
        // Column norms of the published matrix: 0.46195 (R, G, B weights of component 0) is the largest.
        double largest = Math.Sqrt(0.26 * 0.26 + 0.27 * 0.27 + 0.27 * 0.27);
        var component0 = new Tensor([1, 3, 1, 1], [1f, 0f, 0f]);
        var rgb = ColorDecorrelation.Forward(component0);
        Assert.Equal(0.26 / largest, rgb.Data[0], 1e-6);
        Assert.Equal(0.27 / largest, rgb.Data[1], 1e-6);
        Assert.Equal(0.27 / largest, rgb.Data[2], 1e-6);
        var component2 = ColorDecorrelation.Forward(new Tensor([1, 3, 1, 1], [0f, 0f, 1f]));
        Assert.Equal(-0.05 / largest, component2.Data[1], 1e-6);
    }

    [Fact]
    public void Color_decorrelation_backward_matches_finite_differences()
    {
        FiniteDifferences.Check(RandomValues(2 * 3 * 4 * 5, 5),
            p => ColorDecorrelation.Forward(new Tensor([2, 3, 4, 5], p)).Data,
            g => ColorDecorrelation.Backward(new Tensor([2, 3, 4, 5], g)).Data,
            step: 0.1);
    }
}
