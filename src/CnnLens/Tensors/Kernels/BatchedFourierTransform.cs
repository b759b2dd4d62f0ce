using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnLens.Tensors.Kernels;

/// <summary>
/// The complex DFT of length N along the outer axis of split real/imaginary arrays [N, lanes]: every
/// lane (column) is transformed on its own, all in lockstep, so every butterfly works on whole rows and
/// each SIMD instruction serves 16 lanes with no shuffles. Mixed-radix Stockham (self-sorting, no bit
/// reversal): radix 8, 4 and 2 for the powers of two (radix 8 first: fewest passes over the data), one
/// odd-radix butterfly (cosine/sine pairs) for every odd prime factor, so any N works and a prime N
/// costs O(N²) like a plain DFT. Twiddles are computed
/// once per length in double. Unnormalised both ways: forward X[k] = Σ x[n]·e^{−2πikn/N}, inverse uses
/// e^{+2πikn/N}. Lanes must be a multiple of <see cref="LaneMultiple"/> (pad the columns).
/// </summary>
public sealed unsafe class BatchedFourierTransform
{
    /// <summary>Lane counts must be a multiple of this (one Vector512 of floats).</summary>
    public const int LaneMultiple = 16;

    private readonly int[] _radices;
    private readonly float[][] _twiddleCos; // per stage: [m, r-1]: cos(2π·p·k / n) for output k ≥ 1
    private readonly float[][] _twiddleSin;
    private readonly float[][] _butterflyCos; // per stage (odd radix): [half, half]: cos(2π·j·k / r)
    private readonly float[][] _butterflySin;

    public BatchedFourierTransform(int length)
    {
        if (length < 1) throw new InvalidOptionException($"transform length must be positive, got {length}");
        Length = length;
        _radices = Factor(length);
        int stages = _radices.Length;
        _twiddleCos = new float[stages][];
        _twiddleSin = new float[stages][];
        _butterflyCos = new float[stages][];
        _butterflySin = new float[stages][];
        int n = length;
        for (int stage = 0; stage < stages; stage++)
        {
            int r = _radices[stage], m = n / r;
            _twiddleCos[stage] = new float[m * (r - 1)];
            _twiddleSin[stage] = new float[m * (r - 1)];
            for (int p = 0; p < m; p++)
                for (int k = 1; k < r; k++)
                {
                    double angle = 2 * Math.PI * ((long)p * k % n) / n;
                    _twiddleCos[stage][p * (r - 1) + k - 1] = (float)Math.Cos(angle);
                    _twiddleSin[stage][p * (r - 1) + k - 1] = (float)Math.Sin(angle);
                }
            if (r % 2 == 1)
            {
                int half = (r - 1) / 2;
                _butterflyCos[stage] = new float[half * half];
                _butterflySin[stage] = new float[half * half];
                for (int j = 1; j <= half; j++)
                    for (int k = 1; k <= half; k++)
                    {
                        double angle = 2 * Math.PI * (j * k % r) / r;
                        _butterflyCos[stage][(j - 1) * half + k - 1] = (float)Math.Cos(angle);
                        _butterflySin[stage][(j - 1) * half + k - 1] = (float)Math.Sin(angle);
                    }
            }
            n = m;
        }
    }

    /// <summary>N, the transform length (rows).</summary>
    public int Length { get; }

    /// <summary>
    /// Transforms the N x <paramref name="lanes"/> rows of (<paramref name="re"/>, <paramref name="im"/>) in place;
    /// <paramref name="workRe"/> and <paramref name="workIm"/> (same size) are scratch.
    /// </summary>
    public void Transform(Span<float> re, Span<float> im, Span<float> workRe, Span<float> workIm, int lanes, bool inverse)
    {
        if (lanes <= 0 || lanes % LaneMultiple != 0) throw new ArgumentException($"lanes must be a positive multiple of {LaneMultiple}, got {lanes}");
        int size = Length * lanes;
        if (re.Length < size || im.Length < size || workRe.Length < size || workIm.Length < size)
            throw new ShapeMismatchException($"a {Length}-point transform of {lanes} lanes needs {size} floats per buffer");
        fixed (float* r0 = re, i0 = im, r1 = workRe, i1 = workIm)
        {
            float* xr = r0, xi = i0, yr = r1, yi = i1;
            float sign = inverse ? 1f : -1f;
            int n = Length, stride = 1;
            for (int stage = 0; stage < _radices.Length; stage++)
            {
                int r = _radices[stage], m = n / r, block = stride * lanes;
                fixed (float* tc = _twiddleCos[stage], ts = _twiddleSin[stage], bc = _butterflyCos[stage], bs = _butterflySin[stage])
                {
                    for (int p = 0; p < m; p++)
                    {
                        // Inputs: rows stride·(p + j·m) .. +stride; outputs: rows stride·(r·p + k) .. +stride.
                        long inStep = (long)stride * m * lanes, inBase = (long)stride * p * lanes, outBase = (long)stride * r * p * lanes;
                        float* twc = tc + p * (r - 1), tws = ts + p * (r - 1);
                        switch (r)
                        {
                            case 8: Radix8(xr + inBase, xi + inBase, inStep, yr + outBase, yi + outBase, block, twc, tws, sign, p == 0); break;
                            case 4: Radix4(xr + inBase, xi + inBase, inStep, yr + outBase, yi + outBase, block, twc, tws, sign, p == 0); break;
                            case 2: Radix2(xr + inBase, xi + inBase, inStep, yr + outBase, yi + outBase, block, twc[0], sign * tws[0], p == 0); break;
                            default: RadixOdd(r, xr + inBase, xi + inBase, inStep, yr + outBase, yi + outBase, block, twc, tws, bc, bs, sign, p == 0); break;
                        }
                    }
                }
                float* swapR = xr, swapI = xi;
                xr = yr;
                xi = yi;
                yr = swapR;
                yi = swapI;
                n = m;
                stride *= r;
            }
            if (xr != r0)
            {
                new ReadOnlySpan<float>(xr, size).CopyTo(re);
                new ReadOnlySpan<float>(xi, size).CopyTo(im);
            }
        }
    }

    /// <summary>Radix 8, then 4, then 2, then the odd primes in increasing order (fewest passes over the data).</summary>
    private static int[] Factor(int n)
    {
        var radices = new List<int>();
        while (n % 8 == 0) { radices.Add(8); n /= 8; }
        while (n % 4 == 0) { radices.Add(4); n /= 4; }
        while (n % 2 == 0) { radices.Add(2); n /= 2; }
        for (int p = 3; n > 1; p += 2)
        {
            if ((long)p * p > n) p = n;
            while (n % p == 0) { radices.Add(p); n /= p; }
        }
        return radices.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* yr, float* yi, Vector512<float> re, Vector512<float> im, float c, float s, bool plain)
    {
        if (plain)
        {
            re.Store(yr);
            im.Store(yi);
            return;
        }
        var vc = Vector512.Create(c);
        var vs = Vector512.Create(s);
        (re * vc - im * vs).Store(yr);
        (re * vs + im * vc).Store(yi);
    }

    private static void Radix2(float* xr, float* xi, long step, float* yr, float* yi, int block, float c, float s, bool plain)
    {
        for (int e = 0; e < block; e += 16)
        {
            var ar = Vector512.Load(xr + e);
            var ai = Vector512.Load(xi + e);
            var br = Vector512.Load(xr + step + e);
            var bi = Vector512.Load(xi + step + e);
            (ar + br).Store(yr + e);
            (ai + bi).Store(yi + e);
            Store(yr + block + e, yi + block + e, ar - br, ai - bi, c, s, plain);
        }
    }

    private static void Radix4(float* xr, float* xi, long step, float* yr, float* yi, int block, float* tc, float* ts, float sign, bool plain)
    {
        float c1 = tc[0], s1 = sign * ts[0], c2 = tc[1], s2 = sign * ts[1], c3 = tc[2], s3 = sign * ts[2];
        bool forward = sign < 0;
        for (int e = 0; e < block; e += 16)
        {
            var a0r = Vector512.Load(xr + e);
            var a0i = Vector512.Load(xi + e);
            var a1r = Vector512.Load(xr + step + e);
            var a1i = Vector512.Load(xi + step + e);
            var a2r = Vector512.Load(xr + 2 * step + e);
            var a2i = Vector512.Load(xi + 2 * step + e);
            var a3r = Vector512.Load(xr + 3 * step + e);
            var a3i = Vector512.Load(xi + 3 * step + e);
            var t0r = a0r + a2r; var t0i = a0i + a2i;
            var t1r = a0r - a2r; var t1i = a0i - a2i;
            var t2r = a1r + a3r; var t2i = a1i + a3i;
            var t3r = a1r - a3r; var t3i = a1i - a3i;
            (t0r + t2r).Store(yr + e);
            (t0i + t2i).Store(yi + e);
            Store(yr + 2 * block + e, yi + 2 * block + e, t0r - t2r, t0i - t2i, c2, s2, plain);
            // Forward: b1 = t1 − i·t3, b3 = t1 + i·t3; inverse swaps them.
            var minusR = t1r + t3i; var minusI = t1i - t3r;
            var plusR = t1r - t3i; var plusI = t1i + t3r;
            if (forward)
            {
                Store(yr + block + e, yi + block + e, minusR, minusI, c1, s1, plain);
                Store(yr + 3 * block + e, yi + 3 * block + e, plusR, plusI, c3, s3, plain);
            }
            else
            {
                Store(yr + block + e, yi + block + e, plusR, plusI, c1, s1, plain);
                Store(yr + 3 * block + e, yi + 3 * block + e, minusR, minusI, c3, s3, plain);
            }
        }
    }

    /// <summary>
    /// Radix 8 as two radix-4 halves: E = DFT4(a0, a2, a4, a6), O = DFT4(a1, a3, a5, a7), then
    /// b_k = E_k + ω8^k·O_k and b_{k+4} = E_k − ω8^k·O_k with ω8 = e^{±2πi/8}. With s = ±1 (inverse / forward),
    /// multiplying by i·s maps (x, y) to (−s·y, s·x).
    /// </summary>
    private static void Radix8(float* xr, float* xi, long step, float* yr, float* yi, int block, float* tc, float* ts, float sign, bool plain)
    {
        var s = Vector512.Create(sign);
        var half = Vector512.Create(MathF.Sqrt(0.5f));
        for (int e = 0; e < block; e += 16)
        {
            var (e0r, e0i, e1r, e1i, e2r, e2i, e3r, e3i) = Dft4(xr + e, xi + e, 2 * step, s);
            var (o0r, o0i, o1r, o1i, o2r, o2i, o3r, o3i) = Dft4(xr + step + e, xi + step + e, 2 * step, s);
            // ω8·O1 = (O1 + i·s·O1)/√2, ω8²·O2 = i·s·O2, ω8³·O3 = (−O3 + i·s·O3)/√2.
            var w1r = (o1r - s * o1i) * half;
            var w1i = (o1i + s * o1r) * half;
            var w2r = -(s * o2i);
            var w2i = s * o2r;
            var w3r = (-o3r - s * o3i) * half;
            var w3i = (-o3i + s * o3r) * half;
            (e0r + o0r).Store(yr + e);
            (e0i + o0i).Store(yi + e);
            Store(yr + block + e, yi + block + e, e1r + w1r, e1i + w1i, tc[0], sign * ts[0], plain);
            Store(yr + 2 * block + e, yi + 2 * block + e, e2r + w2r, e2i + w2i, tc[1], sign * ts[1], plain);
            Store(yr + 3 * block + e, yi + 3 * block + e, e3r + w3r, e3i + w3i, tc[2], sign * ts[2], plain);
            Store(yr + 4 * block + e, yi + 4 * block + e, e0r - o0r, e0i - o0i, tc[3], sign * ts[3], plain);
            Store(yr + 5 * block + e, yi + 5 * block + e, e1r - w1r, e1i - w1i, tc[4], sign * ts[4], plain);
            Store(yr + 6 * block + e, yi + 6 * block + e, e2r - w2r, e2i - w2i, tc[5], sign * ts[5], plain);
            Store(yr + 7 * block + e, yi + 7 * block + e, e3r - w3r, e3i - w3i, tc[6], sign * ts[6], plain);
        }
    }

    /// <summary>The 4-point DFT of x[0], x[step], x[2·step], x[3·step] (16 lanes), direction s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>)
        Dft4(float* xr, float* xi, long step, Vector512<float> s)
    {
        var a0r = Vector512.Load(xr);
        var a0i = Vector512.Load(xi);
        var a1r = Vector512.Load(xr + step);
        var a1i = Vector512.Load(xi + step);
        var a2r = Vector512.Load(xr + 2 * step);
        var a2i = Vector512.Load(xi + 2 * step);
        var a3r = Vector512.Load(xr + 3 * step);
        var a3i = Vector512.Load(xi + 3 * step);
        var t0r = a0r + a2r; var t0i = a0i + a2i;
        var t1r = a0r - a2r; var t1i = a0i - a2i;
        var t2r = a1r + a3r; var t2i = a1i + a3i;
        var t3r = a1r - a3r; var t3i = a1i - a3i;
        // X1 = t1 + i·s·t3, X3 = t1 − i·s·t3.
        return (t0r + t2r, t0i + t2i, t1r - s * t3i, t1i + s * t3r, t0r - t2r, t0i - t2i, t1r + s * t3i, t1i - s * t3r);
    }

    /// <summary>
    /// Odd radix r by conjugate pairs: with s_j = a_j + a_{r−j} and d_j = a_j − a_{r−j},
    /// b_k = a0 + Σ s_j cos(2πjk/r) ∓ i Σ d_j sin(2πjk/r) and b_{r−k} the other sign.
    /// </summary>
    private static void RadixOdd(int r, float* xr, float* xi, long step, float* yr, float* yi, int block,
        float* tc, float* ts, float* bc, float* bs, float sign, bool plain)
    {
        int half = (r - 1) / 2;
        for (int e = 0; e < block; e += 16)
        {
            var a0r = Vector512.Load(xr + e);
            var a0i = Vector512.Load(xi + e);
            var sumR = a0r;
            var sumI = a0i;
            for (int j = 1; j <= half; j++)
            {
                sumR += Vector512.Load(xr + j * step + e) + Vector512.Load(xr + (r - j) * step + e);
                sumI += Vector512.Load(xi + j * step + e) + Vector512.Load(xi + (r - j) * step + e);
            }
            sumR.Store(yr + e);
            sumI.Store(yi + e);
            for (int k = 1; k <= half; k++)
            {
                var cosR = a0r;
                var cosI = a0i;
                var sinR = Vector512<float>.Zero;
                var sinI = Vector512<float>.Zero;
                for (int j = 1; j <= half; j++)
                {
                    var pr = Vector512.Load(xr + j * step + e);
                    var pi = Vector512.Load(xi + j * step + e);
                    var mr = Vector512.Load(xr + (r - j) * step + e);
                    var mi = Vector512.Load(xi + (r - j) * step + e);
                    var c = Vector512.Create(bc[(j - 1) * half + k - 1]);
                    var s = Vector512.Create(bs[(j - 1) * half + k - 1]);
                    cosR += (pr + mr) * c;
                    cosI += (pi + mi) * c;
                    sinR += (pr - mr) * s;
                    sinI += (pi - mi) * s;
                }
                // Forward (sign −1): b_k = cos − i·sin, i.e. (cosR + sinI, cosI − sinR); inverse the other way.
                var vs = Vector512.Create(sign);
                var lowR = cosR - vs * sinI;
                var lowI = cosI + vs * sinR;
                var highR = cosR + vs * sinI;
                var highI = cosI - vs * sinR;
                Store(yr + k * block + e, yi + k * block + e, lowR, lowI, tc[k - 1], sign * ts[k - 1], plain);
                Store(yr + (r - k) * block + e, yi + (r - k) * block + e, highR, highI, tc[r - k - 1], sign * ts[r - k - 1], plain);
            }
        }
    }
}
