using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// The inverse real 2-D DFT (numpy <c>irfft2</c>, unnormalised by 1/(H·W) as numpy's "backward" norm)
/// of a half spectrum [2 (real, imaginary), H, W/2+1], written as two real matrix products so the
/// SIMD GEMM does the work: first along H with the complex exponential, then along W, where each
/// column but DC (and Nyquist for even W) stands for itself and its conjugate mirror, hence weight 2.
/// The imaginary parts of the DC and Nyquist columns do not reach the real image (as in irfft).
/// <see cref="Backward"/> is the exact transpose (vector-Jacobian product) of <see cref="Forward"/>.
/// </summary>
public sealed class SpectralImage
{
    private readonly float[] _alongHeight; // [2H, 2H] = [[C, -S], [S, C]]: complex e^{+2πi ky y / H}
    private readonly float[] _cosineWidth; // [K, W]: weight_k cos(2π k x / W) · outputScale / (H·W)
    private readonly float[] _sineWidth;   // [K, W]: -weight_k sin(2π k x / W) · outputScale / (H·W)

    public SpectralImage(int height, int width, float outputScale = 1f)
    {
        if (height < 1 || width < 1) throw new InvalidOptionException($"image size must be positive, got {height}x{width}");
        Height = height;
        Width = width;
        Columns = width / 2 + 1;
        _alongHeight = new float[4 * height * height];
        int h2 = 2 * height;
        for (int y = 0; y < height; y++)
            for (int ky = 0; ky < height; ky++)
            {
                double angle = 2 * Math.PI * ((long)ky * y % height) / height;
                float c = (float)Math.Cos(angle), s = (float)Math.Sin(angle);
                _alongHeight[y * h2 + ky] = c;
                _alongHeight[y * h2 + height + ky] = -s;
                _alongHeight[(height + y) * h2 + ky] = s;
                _alongHeight[(height + y) * h2 + height + ky] = c;
            }
        _cosineWidth = new float[Columns * width];
        _sineWidth = new float[Columns * width];
        double norm = outputScale / ((double)height * width);
        for (int k = 0; k < Columns; k++)
        {
            bool selfConjugate = k == 0 || (width % 2 == 0 && k == width / 2);
            double weight = (selfConjugate ? 1 : 2) * norm;
            for (int x = 0; x < width; x++)
            {
                double angle = 2 * Math.PI * ((long)k * x % width) / width;
                _cosineWidth[k * width + x] = (float)(weight * Math.Cos(angle));
                _sineWidth[k * width + x] = (float)(-weight * Math.Sin(angle));
            }
        }
    }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Spectrum columns: W/2 + 1 (non-negative horizontal frequencies).</summary>
    public int Columns { get; }

    /// <summary>Floats of one plane's spectrum: 2 · H · (W/2+1).</summary>
    public int SpectrumLength => 2 * Height * Columns;

    /// <summary>One plane: <paramref name="spectrum"/> [2, H, K] to <paramref name="image"/> [H, W].</summary>
    public void Forward(ReadOnlySpan<float> spectrum, Span<float> image)
    {
        int h = Height, k = Columns, w = Width;
        var along = new float[2 * h * k];
        Gemm.Multiply(false, false, 2 * h, k, 2 * h, 1f, _alongHeight, 2 * h, spectrum, k, 0f, along, k);
        Gemm.Multiply(false, false, h, w, k, 1f, along.AsSpan(0, h * k), k, _cosineWidth, w, 0f, image, w);
        Gemm.Multiply(false, false, h, w, k, 1f, along.AsSpan(h * k), k, _sineWidth, w, 1f, image, w);
    }

    /// <summary>The transpose: gradient at the image [H, W] to the gradient at the spectrum [2, H, K].</summary>
    public void Backward(ReadOnlySpan<float> imageGradient, Span<float> spectrumGradient)
    {
        int h = Height, k = Columns, w = Width;
        var along = new float[2 * h * k];
        Gemm.Multiply(false, true, h, k, w, 1f, imageGradient, w, _cosineWidth, w, 0f, along.AsSpan(0, h * k), k);
        Gemm.Multiply(false, true, h, k, w, 1f, imageGradient, w, _sineWidth, w, 0f, along.AsSpan(h * k), k);
        Gemm.Multiply(true, false, 2 * h, k, 2 * h, 1f, _alongHeight, 2 * h, along, k, 0f, spectrumGradient, k);
    }

    /// <summary>|frequency| in cycles per pixel of spectrum entry (ky, kx), numpy's fftfreq convention.</summary>
    public double Frequency(int ky, int kx)
    {
        double fy = (ky < (Height + 1) / 2 ? ky : ky - Height) / (double)Height;
        double fx = kx / (double)Width;
        return Math.Sqrt(fx * fx + fy * fy);
    }
}
