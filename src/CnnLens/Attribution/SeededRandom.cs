namespace CnnLens.Attribution;

/// <summary>
/// A small, fast, reproducible generator (SplitMix64). Each random draw of a method gets its own
/// stream from (seed, stream ids), so results do not depend on batch size, thread count or order.
/// </summary>
public struct SeededRandom
{
    private ulong _state;
    private double? _spareGaussian;

    public SeededRandom(long seed, params long[] stream)
    {
        _state = Mix((ulong)seed);
        foreach (long s in stream) _state = Mix(_state ^ Mix((ulong)s + 0x9E3779B97F4A7C15UL));
        _spareGaussian = null;
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, count).</summary>
    public int NextInt(int count) => (int)(NextDouble() * count);

    /// <summary>Standard normal by the Box–Muller transform.</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double radius = Math.Sqrt(-2 * Math.Log(u1));
        _spareGaussian = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
