using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// Where each output pixel of an <see cref="ImageTransform"/> reads the input: the top-left source
/// pixel, the steps to its right and lower neighbours (0 at a clamped edge) and the bilinear fractions.
/// Computed once per transform and shared by every channel and by the backward pass, which then only
/// spreads gradients. Optionally applies a per-channel (v − mean) / std on the way out and 1/std on the
/// way back, so the model's normalisation costs no extra pass. Arrays are reused between fills.
/// </summary>
public sealed class SamplingGrid
{
    private int[] _index = [];  // ya·inW + xa
    private int[] _right = [];  // xb − xa (0 or 1)
    private int[] _down = [];   // (yb − ya)·inW (0 or inW)
    private float[] _fx = [];
    private float[] _fy = [];

    public int InputHeight { get; private set; }

    public int InputWidth { get; private set; }

    public int OutputHeight { get; private set; }

    public int OutputWidth { get; private set; }

    /// <summary>The grid of <paramref name="transform"/> from inH x inW to outH x outW (rows filled in parallel).</summary>
    public void Fill(ImageTransform transform, int inHeight, int inWidth, int outHeight, int outWidth)
    {
        int pixels = outHeight * outWidth;
        if (_index.Length < pixels)
        {
            _index = new int[pixels];
            _right = new int[pixels];
            _down = new int[pixels];
            _fx = new float[pixels];
            _fy = new float[pixels];
        }
        (InputHeight, InputWidth, OutputHeight, OutputWidth) = (inHeight, inWidth, outHeight, outWidth);
        Parallelism.For(outHeight, (start, end) =>
        {
            for (int y = start; y < end; y++)
                for (int x = 0; x < outWidth; x++)
                {
                    double sx = transform.XX * x + transform.XY * y + transform.X0, sy = transform.YX * x + transform.YY * y + transform.Y0;
                    int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                    int xa = Math.Clamp(x0, 0, inWidth - 1), xb = Math.Clamp(x0 + 1, 0, inWidth - 1);
                    int ya = Math.Clamp(y0, 0, inHeight - 1), yb = Math.Clamp(y0 + 1, 0, inHeight - 1);
                    int o = y * outWidth + x;
                    _index[o] = ya * inWidth + xa;
                    _right[o] = xb - xa;
                    _down[o] = (yb - ya) * inWidth;
                    _fx[o] = (float)(sx - x0);
                    _fy[o] = (float)(sy - y0);
                }
        }, costPerItem: 30.0 * outWidth);
    }

    /// <summary>
    /// output plane = (sample(input plane) − <paramref name="subtract"/>) / <paramref name="divide"/>
    /// for the planes starting at <paramref name="inputOffset"/> and <paramref name="outputOffset"/>.
    /// </summary>
    public void Gather(float[] input, int inputOffset, float[] output, int outputOffset, float subtract = 0, float divide = 1)
    {
        var source = input.AsSpan(inputOffset, InputHeight * InputWidth);
        var target = output.AsSpan(outputOffset, OutputHeight * OutputWidth);
        bool plain = subtract == 0 && divide == 1;
        for (int o = 0; o < target.Length; o++)
        {
            float fx = _fx[o], fy = _fy[o];
            int i00 = _index[o], i01 = i00 + _right[o], i10 = i00 + _down[o], i11 = i10 + _right[o];
            float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
            float v = w00 * source[i00] + w01 * source[i01] + w10 * source[i10] + w11 * source[i11];
            target[o] = plain ? v : (v - subtract) / divide;
        }
    }

    /// <summary>Adds the transpose of <see cref="Gather"/> (without the subtraction) of one gradient plane into an input-sized plane.</summary>
    public void Scatter(float[] outputGradient, int outputOffset, float[] inputGradient, int inputOffset, float divide = 1)
    {
        var source = outputGradient.AsSpan(outputOffset, OutputHeight * OutputWidth);
        var target = inputGradient.AsSpan(inputOffset, InputHeight * InputWidth);
        for (int o = 0; o < source.Length; o++)
        {
            float g = divide == 1 ? source[o] : source[o] / divide;
            if (g == 0) continue;
            float fx = _fx[o], fy = _fy[o];
            int i00 = _index[o], i01 = i00 + _right[o], i10 = i00 + _down[o], i11 = i10 + _right[o];
            float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
            target[i00] += w00 * g;
            target[i01] += w01 * g;
            target[i10] += w10 * g;
            target[i11] += w11 * g;
        }
    }
}
