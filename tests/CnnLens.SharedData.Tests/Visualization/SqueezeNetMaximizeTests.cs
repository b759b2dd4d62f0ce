using CnnLens.Graph;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Tensors;
using CnnLens.Tests.Support;
using CnnLens.Visualization.Maximization;

namespace CnnLens.SharedData.Tests.Visualization;

/// <summary>
/// Needs ../shared: activation maximisation on SqueezeNet 1.1 (224x224, its only input size) for a
/// first-layer channel and a mid-layer channel, a few steps each. The channel must rise above its
/// value on the starting image, the images are saved as PNG (in the temp folder, kept for a look), and their spectrum must not be white:
/// the share of energy below 1/8 cycle per pixel (computed here with a plain DFT) must be well above
/// the share of frequency bins there (what white noise would have).
/// </summary>
public class SqueezeNetMaximizeTests
{
    private static readonly Lazy<Model> SqueezeNet = new(() => Model.Load(RepositoryPaths.Shared("models", "squeezenet1.1.onnx")));

    [Theory]
    [InlineData("conv0_relu", 5)]
    [InlineData("fire5", 40)]
    public void Channel_image_rises_and_has_a_natural_spectrum(string layer, int channel)
    {
        var model = SqueezeNet.Value;
        var options = new MaximizationOptions { Steps = 6, LearningRate = 0.05, Seed = 3 };
        var objective = MaximizationObjective.Channel(layer, channel);
        var result = new ActivationMaximization(options).Run(model, objective);

        var fourier = new FourierParameterization(3, 224, 224);
        var start = ActivationMaximization.Render(fourier, fourier.Initial(1, options.Seed), decorrelate: true);
        var normalization = new InputNormalization(3, null, null);
        double before = ObjectiveGradient.Check(model, normalization.Forward(start), objective)[0];
        Assert.True(result.FinalValues[0] > before, $"{layer} channel {channel}: {before:G4} at the start, {result.FinalValues[0]:G4} after");

        // Kept after the run for a look: <temp>/cnnlens-shared-tests/maximize/squeezenet_LAYER_CHANNEL.png.
        string folder = Path.Combine(Path.GetTempPath(), "cnnlens-shared-tests", "maximize");
        Directory.CreateDirectory(folder);
        string png = Path.Combine(folder, $"squeezenet_{layer}_{channel}.png");
        WritePng(result.Images, png);
        Assert.Equal((224, 224), (ImageDecoder.DecodeFile(png).Width, ImageDecoder.DecodeFile(png).Height));

        var (lowShare, whiteShare) = LowFrequencyShare(result.Images, 1.0 / 8);
        Assert.True(lowShare > 4 * whiteShare, $"low-frequency energy share {lowShare:P1}, white noise {whiteShare:P1}");
    }

    private static void WritePng(Tensor images, string path)
    {
        var picture = new Image(images.Dim(3), images.Dim(2), 3);
        int plane = images.Dim(2) * images.Dim(3);
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++) picture.Pixels[i * 3 + c] = (byte)Math.Round(Math.Clamp(images.Data[c * plane + i], 0f, 1f) * 255);
        PngEncoder.Save(picture, path);
    }

    /// <summary>Share of the (mean-removed) image energy at |f| below <paramref name="cutoff"/> cycles per pixel, and the share of bins there.</summary>
    private static (double Low, double White) LowFrequencyShare(Tensor images, double cutoff)
    {
        int size = images.Dim(2);
        var cos = new double[size * size];
        var sin = new double[size * size];
        for (int k = 0; k < size; k++)
            for (int x = 0; x < size; x++)
            {
                cos[k * size + x] = Math.Cos(2 * Math.PI * k * x / size);
                sin[k * size + x] = -Math.Sin(2 * Math.PI * k * x / size);
            }
        double low = 0, total = 0;
        int lowBins = 0;
        for (int c = 0; c < 3; c++)
        {
            var plane = images.Data.AsSpan(c * size * size, size * size).ToArray().Select(v => (double)v).ToArray();
            double mean = plane.Average();
            // Rows: DFT along x; then columns: DFT along y.
            var re = new double[size * size];
            var im = new double[size * size];
            for (int y = 0; y < size; y++)
                for (int k = 0; k < size; k++)
                {
                    double r = 0, i = 0;
                    for (int x = 0; x < size; x++)
                    {
                        double v = plane[y * size + x] - mean;
                        r += v * cos[k * size + x];
                        i += v * sin[k * size + x];
                    }
                    re[y * size + k] = r;
                    im[y * size + k] = i;
                }
            for (int kx = 0; kx < size; kx++)
                for (int ky = 0; ky < size; ky++)
                {
                    double r = 0, i = 0;
                    for (int y = 0; y < size; y++)
                    {
                        double a = re[y * size + kx], b = im[y * size + kx], cy = cos[ky * size + y], sy = sin[ky * size + y];
                        r += a * cy - b * sy;
                        i += a * sy + b * cy;
                    }
                    double power = r * r + i * i;
                    double fx = (kx <= size / 2 ? kx : kx - size) / (double)size, fy = (ky <= size / 2 ? ky : ky - size) / (double)size;
                    total += power;
                    if (Math.Sqrt(fx * fx + fy * fy) < cutoff)
                    {
                        low += power;
                        if (c == 0) lowBins++;
                    }
                }
        }
        return (low / total, lowBins / (double)(size * size));
    }
}
