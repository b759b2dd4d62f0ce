using System.Collections.Concurrent;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// The inverse real 2-D DFT (numpy <c>irfft2</c>, unnormalised by 1/(H·W) as numpy's "backward" norm)
/// of a half spectrum [2 (real, imaginary), H, W/2+1], by FFT: first a complex inverse FFT down each
/// column (along H), then along each row the Hermitian-completed spectrum (column k and the conjugate
/// of column W−k) through a complex inverse FFT whose real part is the image row. Rows go in pairs,
/// row y in the real part and row y + ⌈H/2⌉ in the imaginary part of one transform (both outputs are
/// real), which halves the row work; the pairing is fixed, so the numbers do not depend on threads.
/// The imaginary parts of the DC and Nyquist columns do not reach the real image (as in irfft).
/// <see cref="Backward"/> is the exact transpose (vector-Jacobian product) of <see cref="Forward"/>:
/// a real FFT along rows (weight 2 for the columns that stand for a conjugate pair), then a forward
/// complex FFT down the columns. An optional per-coefficient scale [H, W/2+1] is applied on the way in
/// (and out, in the transpose); allocations happen on the first call only (buffers are pooled).
/// </summary>
public sealed class SpectralImage
{
    private readonly BatchedFourierTransform _alongHeight;
    private readonly BatchedFourierTransform _alongWidth;
    private readonly float[] _factor; // [H, K]: spectrum scale · output scale / (H·W)
    private readonly ConcurrentBag<float[]> _scratch = new();   // per piece: 4 planes of the largest piece, all alike
    private readonly ConcurrentBag<float[]> _columns = new();   // per call: the column-transformed spectra of every plane
    private readonly int _scratchLength;

    public SpectralImage(int height, int width, float outputScale = 1f, float[]? spectrumScale = null)
    {
        if (height < 1 || width < 1) throw new InvalidOptionException($"image size must be positive, got {height}x{width}");
        Height = height;
        Width = width;
        Columns = width / 2 + 1;
        if (spectrumScale is not null && spectrumScale.Length != height * Columns)
            throw new ShapeMismatchException($"a spectrum scale for {height}x{width} has {height * Columns} values, got {spectrumScale.Length}");
        _alongHeight = new BatchedFourierTransform(height);
        _alongWidth = new BatchedFourierTransform(width);
        _factor = new float[height * Columns];
        double norm = outputScale / ((double)height * width);
        for (int i = 0; i < _factor.Length; i++) _factor[i] = (float)((spectrumScale?[i] ?? 1.0) * norm);
        // Four planes of the largest piece, then two rows of temporaries for the row transposes.
        _scratchLength = 4 * Math.Max(height * Pad(Columns), width * Pad(Pairs)) + 2 * Math.Max(width, Pad(Pairs));
    }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Spectrum columns: W/2 + 1 (non-negative horizontal frequencies).</summary>
    public int Columns { get; }

    /// <summary>Floats of one plane's spectrum: 2 · H · (W/2+1).</summary>
    public int SpectrumLength => 2 * Height * Columns;

    /// <summary>Row pairs of one plane: ⌈H/2⌉.</summary>
    private int Pairs => (Height + 1) / 2;

    /// <summary>One plane: <paramref name="spectrum"/> [2, H, K] to <paramref name="image"/> [H, W].</summary>
    public void Forward(ReadOnlySpan<float> spectrum, Span<float> image)
    {
        var source = spectrum[..SpectrumLength].ToArray();
        var target = new float[Height * Width];
        Forward(source, target, 1);
        target.CopyTo(image);
    }

    /// <summary>The transpose: gradient at the image [H, W] to the gradient at the spectrum [2, H, K].</summary>
    public void Backward(ReadOnlySpan<float> imageGradient, Span<float> spectrumGradient)
    {
        var source = imageGradient[..(Height * Width)].ToArray();
        var target = new float[SpectrumLength];
        Backward(source, target, 1);
        target.CopyTo(spectrumGradient);
    }

    /// <summary><paramref name="planes"/> spectra [P, 2, H, K] to images [P, H, W] (threads split planes, columns and row pairs).</summary>
    public void Forward(float[] spectra, float[] images, int planes)
    {
        Check(spectra.Length, images.Length, planes);
        int h = Height, w = Width, k = Columns, pairs = Pairs;
        var columns = Rent(_columns, planes * SpectrumLength);
        int columnSplit = Split(planes, k), pairSplit = Split(planes, pairs);
        Parallelism.For(planes * columnSplit, (start, end) =>
        {
            for (int item = start; item < end; item++)
            {
                int plane = item / columnSplit;
                var (k0, k1) = Range(k, columnSplit, item % columnSplit);
                ColumnsInverse(spectra.AsSpan(plane * SpectrumLength, SpectrumLength), columns.AsSpan(plane * SpectrumLength, SpectrumLength), k0, k1);
            }
        }, costPerItem: 10.0 * h * k * Math.Log2(2 * h) / columnSplit);
        Parallelism.For(planes * pairSplit, (start, end) =>
        {
            for (int item = start; item < end; item++)
            {
                int plane = item / pairSplit;
                var (p0, p1) = Range(pairs, pairSplit, item % pairSplit);
                RowsInverse(columns.AsSpan(plane * SpectrumLength, SpectrumLength), images.AsSpan(plane * h * w, h * w), p0, p1);
            }
        }, costPerItem: 10.0 * w * pairs * Math.Log2(2 * w) / pairSplit);
        _columns.Add(columns);
    }

    /// <summary>The transpose of <see cref="Forward(float[], float[], int)"/>: image gradients [P, H, W] to spectrum gradients [P, 2, H, K].</summary>
    public void Backward(float[] imageGradients, float[] spectrumGradients, int planes)
    {
        Check(spectrumGradients.Length, imageGradients.Length, planes);
        int h = Height, w = Width, k = Columns, pairs = Pairs;
        var columns = Rent(_columns, planes * SpectrumLength);
        int columnSplit = Split(planes, k), pairSplit = Split(planes, pairs);
        Parallelism.For(planes * pairSplit, (start, end) =>
        {
            for (int item = start; item < end; item++)
            {
                int plane = item / pairSplit;
                var (p0, p1) = Range(pairs, pairSplit, item % pairSplit);
                RowsForward(imageGradients.AsSpan(plane * h * w, h * w), columns.AsSpan(plane * SpectrumLength, SpectrumLength), p0, p1);
            }
        }, costPerItem: 10.0 * w * pairs * Math.Log2(2 * w) / pairSplit);
        Parallelism.For(planes * columnSplit, (start, end) =>
        {
            for (int item = start; item < end; item++)
            {
                int plane = item / columnSplit;
                var (k0, k1) = Range(k, columnSplit, item % columnSplit);
                ColumnsForward(columns.AsSpan(plane * SpectrumLength, SpectrumLength), spectrumGradients.AsSpan(plane * SpectrumLength, SpectrumLength), k0, k1);
            }
        }, costPerItem: 10.0 * h * k * Math.Log2(2 * h) / columnSplit);
        _columns.Add(columns);
    }

    /// <summary>|frequency| in cycles per pixel of spectrum entry (ky, kx), numpy's fftfreq convention.</summary>
    public double Frequency(int ky, int kx)
    {
        double fy = (ky < (Height + 1) / 2 ? ky : ky - Height) / (double)Height;
        double fx = kx / (double)Width;
        return Math.Sqrt(fx * fx + fy * fy);
    }

    /// <summary>Columns k0..k1 of one plane: scaled spectrum → inverse FFT along H → <paramref name="columns"/> [2, H, K].</summary>
    private void ColumnsInverse(ReadOnlySpan<float> spectrum, Span<float> columns, int k0, int k1)
    {
        int h = Height, k = Columns, count = k1 - k0, lanes = Pad(count), size = h * lanes;
        var buffer = Rent(_scratch, _scratchLength);
        var re = buffer.AsSpan(0, size);
        var im = buffer.AsSpan(size, size);
        for (int y = 0; y < h; y++)
        {
            var factor = _factor.AsSpan(y * k + k0, count);
            System.Numerics.Tensors.TensorPrimitives.Multiply(spectrum.Slice(y * k + k0, count), factor, re.Slice(y * lanes, count));
            System.Numerics.Tensors.TensorPrimitives.Multiply(spectrum.Slice((h + y) * k + k0, count), factor, im.Slice(y * lanes, count));
            re.Slice(y * lanes + count, lanes - count).Clear();
            im.Slice(y * lanes + count, lanes - count).Clear();
        }
        _alongHeight.Transform(re, im, buffer.AsSpan(2 * size, size), buffer.AsSpan(3 * size, size), lanes, inverse: true);
        for (int y = 0; y < h; y++)
        {
            re.Slice(y * lanes, count).CopyTo(columns.Slice(y * k + k0, count));
            im.Slice(y * lanes, count).CopyTo(columns.Slice((h + y) * k + k0, count));
        }
        _scratch.Add(buffer);
    }

    /// <summary>The transpose of <see cref="ColumnsInverse"/>: forward FFT along H, then the scale.</summary>
    private void ColumnsForward(ReadOnlySpan<float> columns, Span<float> spectrumGradient, int k0, int k1)
    {
        int h = Height, k = Columns, count = k1 - k0, lanes = Pad(count), size = h * lanes;
        var buffer = Rent(_scratch, _scratchLength);
        var re = buffer.AsSpan(0, size);
        var im = buffer.AsSpan(size, size);
        for (int y = 0; y < h; y++)
        {
            columns.Slice(y * k + k0, count).CopyTo(re.Slice(y * lanes, count));
            columns.Slice((h + y) * k + k0, count).CopyTo(im.Slice(y * lanes, count));
            re.Slice(y * lanes + count, lanes - count).Clear();
            im.Slice(y * lanes + count, lanes - count).Clear();
        }
        _alongHeight.Transform(re, im, buffer.AsSpan(2 * size, size), buffer.AsSpan(3 * size, size), lanes, inverse: false);
        for (int y = 0; y < h; y++)
        {
            var factor = _factor.AsSpan(y * k + k0, count);
            System.Numerics.Tensors.TensorPrimitives.Multiply(re.Slice(y * lanes, count), factor, spectrumGradient.Slice(y * k + k0, count));
            System.Numerics.Tensors.TensorPrimitives.Multiply(im.Slice(y * lanes, count), factor, spectrumGradient.Slice((h + y) * k + k0, count));
        }
        _scratch.Add(buffer);
    }

    /// <summary>Row pairs p0..p1 of one plane: Hermitian completion, inverse FFT along W, real part to row p, imaginary to row p + ⌈H/2⌉.</summary>
    private unsafe void RowsInverse(ReadOnlySpan<float> columns, Span<float> image, int p0, int p1)
    {
        int h = Height, w = Width, k = Columns, pairs = Pairs, count = p1 - p0, lanes = Pad(count), size = w * lanes;
        // Lanes whose partner row exists (b = a + ⌈H/2⌉ < H): all but the last pair when H is odd.
        int full = Math.Clamp(h - pairs - p0, 0, count);
        var buffer = Rent(_scratch, _scratchLength);
        int nyquist = w % 2 == 0 ? w / 2 : -1;
        fixed (float* t = columns, zr = buffer, output = image)
        {
            float* zi = zr + size, tempA = zr + 4 * size, tempB = tempA + lanes;
            new Span<float>(zr, 2 * size).Clear();
            // z = za + i·zb (za, zb: rows a and b completed to full Hermitian spectra): re = Re za − Im zb, im = Im za + Re zb.
            for (int x = 0; x < w; x++)
            {
                bool mirror = x >= k;
                int column = mirror ? w - x : x;
                float imaginary = column == 0 || column == nyquist ? 0f : mirror ? -1f : 1f;
                float* re = zr + x * lanes, im = zi + x * lanes;
                float* ra = t + p0 * k + column, ia = t + (h + p0) * k + column;
                GatherStrided(ra, k, re, count);
                GatherStrided(ra + pairs * k, k, im, full);
                if (imaginary == 0) continue;
                GatherStrided(ia, k, tempA, count);
                GatherStrided(ia + pairs * k, k, tempB, full);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(tempB, full), -imaginary, new ReadOnlySpan<float>(re, full), new Span<float>(re, full));
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(tempA, count), imaginary, new ReadOnlySpan<float>(im, count), new Span<float>(im, count));
            }
            _alongWidth.Transform(buffer.AsSpan(0, size), buffer.AsSpan(size, size), buffer.AsSpan(2 * size, size), buffer.AsSpan(3 * size, size), lanes, inverse: true);
            for (int i = 0; i < count; i++)
            {
                float* rowA = output + (p0 + i) * w;
                GatherStrided(zr + i, lanes, rowA, w);
                if (i < full) GatherStrided(zi + i, lanes, rowA + pairs * w, w);
            }
        }
        _scratch.Add(buffer);
    }

    /// <summary>The transpose of <see cref="RowsInverse"/>: forward FFT of row pairs packed as a + i·b, split into each row's half spectrum, weight 2 off DC and Nyquist.</summary>
    private unsafe void RowsForward(ReadOnlySpan<float> imageGradient, Span<float> columns, int p0, int p1)
    {
        int h = Height, w = Width, k = Columns, pairs = Pairs, count = p1 - p0, lanes = Pad(count), size = w * lanes;
        int full = Math.Clamp(h - pairs - p0, 0, count);
        var buffer = Rent(_scratch, _scratchLength);
        int nyquist = w % 2 == 0 ? w / 2 : -1;
        fixed (float* zr = buffer, input = imageGradient, t = columns)
        {
            float* zi = zr + size, spectrumRe = zr + 4 * size, spectrumIm = spectrumRe + w;
            new Span<float>(zr, 2 * size).Clear();
            for (int x = 0; x < w; x++)
            {
                GatherStrided(input + p0 * w + x, w, zr + x * lanes, count);
                GatherStrided(input + (p0 + pairs) * w + x, w, zi + x * lanes, full);
            }
            _alongWidth.Transform(buffer.AsSpan(0, size), buffer.AsSpan(size, size), buffer.AsSpan(2 * size, size), buffer.AsSpan(3 * size, size), lanes, inverse: false);
            for (int i = 0; i < count; i++)
            {
                // The whole spectrum X of lane i, then A = (X[k] + conj X[−k]) / 2 and B = (X[k] − conj X[−k]) / 2i;
                // weight 2 for a conjugate pair cancels the halving.
                GatherStrided(zr + i, lanes, spectrumRe, w);
                GatherStrided(zi + i, lanes, spectrumIm, w);
                float* ra = t + (p0 + i) * k, ia = t + (h + p0 + i) * k;
                float* rb = ra + pairs * k, ib = ia + pairs * k;
                bool partner = i < full;
                for (int column = 0; column < k; column++)
                {
                    int mirror = column == 0 ? 0 : w - column;
                    float half = column == 0 || column == nyquist ? 0.5f : 1f;
                    float xr = spectrumRe[column], xi = spectrumIm[column], mr = spectrumRe[mirror], mi = spectrumIm[mirror];
                    ra[column] = half * (xr + mr);
                    ia[column] = half * (xi - mi);
                    if (!partner) continue;
                    rb[column] = half * (xi + mi);
                    ib[column] = half * (mr - xr);
                }
            }
        }
        _scratch.Add(buffer);
    }

    /// <summary>target[j] = source[j · stride] for j &lt; count, eight at a time with AVX2 gathers.</summary>
    private static unsafe void GatherStrided(float* source, int stride, float* target, int count)
    {
        int j = 0;
        if (Avx2.IsSupported && count >= 8)
        {
            var offsets = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride;
            for (; j <= count - 8; j += 8)
                Avx2.GatherVector256(source + (long)j * stride, offsets, 4).Store(target + j);
        }
        for (; j < count; j++) target[j] = source[(long)j * stride];
    }

    /// <summary>A pooled buffer of at least <paramref name="length"/> floats; a smaller one (a call with more planes than before) is dropped for good.</summary>
    private static float[] Rent(ConcurrentBag<float[]> pool, int length)
    {
        while (pool.TryTake(out var buffer))
            if (buffer.Length >= length) return buffer;
        return new float[length];
    }

    private void Check(int spectrumLength, int imageLength, int planes)
    {
        if (planes < 1 || spectrumLength < planes * SpectrumLength || imageLength < planes * Height * Width)
            throw new ShapeMismatchException($"{planes} planes of {Height}x{Width} need {planes * SpectrumLength} spectrum and {planes * Height * Width} image values, got {spectrumLength} and {imageLength}");
    }

    /// <summary>Pieces per plane: enough for every thread when the planes alone are too few, at most one per vector of lanes.</summary>
    private static int Split(int planes, int lanes) =>
        Math.Clamp((2 * Parallelism.MaxThreads + planes - 1) / planes, 1, Pad(lanes) / BatchedFourierTransform.LaneMultiple);

    /// <summary>Piece <paramref name="piece"/> of <paramref name="count"/> lanes, cut at whole vectors so no piece pads more than its last vector.</summary>
    private static (int Start, int End) Range(int count, int pieces, int piece)
    {
        int vectors = Pad(count) / BatchedFourierTransform.LaneMultiple;
        int start = vectors * piece / pieces, end = vectors * (piece + 1) / pieces;
        return (start * BatchedFourierTransform.LaneMultiple, Math.Min(end * BatchedFourierTransform.LaneMultiple, count));
    }

    private static int Pad(int lanes) =>
        Math.Max(1, (lanes + BatchedFourierTransform.LaneMultiple - 1) / BatchedFourierTransform.LaneMultiple) * BatchedFourierTransform.LaneMultiple;
}
