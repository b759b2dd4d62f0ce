using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnLens.Imaging.Rendering;

/// <summary>
/// A 256-entry RGB lookup table mapping t in [0, 1] to a colour, with matplotlib's lookup rule
/// (index = floor(t * 256), t = 1 maps to the last entry, values outside [0, 1] clamp to the ends)
/// and a separate colour for NaN. Diverging maps have their neutral colour at t = 0.5.
/// </summary>
public sealed class Colormap
{
    /// <summary>Number of entries in every table.</summary>
    public const int Size = 256;

    private readonly byte[] _table;

    /// <param name="name">Name as the CLI and reports spell it (matplotlib's name for built-in maps).</param>
    /// <param name="table">768 bytes: r,g,b for each of the 256 entries, from t = 0 to t = 1.</param>
    /// <param name="isDiverging">True when the centre (t = 0.5) is a neutral colour for zero.</param>
    /// <param name="bad">Colour for NaN; defaults to magenta.</param>
    public Colormap(string name, ReadOnlySpan<byte> table, bool isDiverging, Rgb? bad = null)
    {
        if (table.Length != Size * 3)
            throw new InvalidOptionException($"colormap '{name}' needs {Size * 3} table bytes (256 RGB entries), got {table.Length}");
        Name = name;
        _table = table.ToArray();
        IsDiverging = isDiverging;
        Bad = bad ?? Rgb.Magenta;
        PackedTable = new int[Size + 1];
        for (int i = 0; i < Size; i++) PackedTable[i] = _table[3 * i] | _table[3 * i + 1] << 8 | _table[3 * i + 2] << 16;
        PackedTable[Size] = Bad.R | Bad.G << 8 | Bad.B << 16;
    }

    public string Name { get; }

    /// <summary>True for signed maps: t = 0 is most negative, t = 0.5 is zero, t = 1 is most positive.</summary>
    public bool IsDiverging { get; }

    /// <summary>Colour shown for NaN values.</summary>
    public Rgb Bad { get; }

    /// <summary>The raw table, r,g,b for each entry.</summary>
    public ReadOnlySpan<byte> Table => _table;

    /// <summary>Entries as r | g &lt;&lt; 8 | b &lt;&lt; 16, with <see cref="Bad"/> appended at index 256: the form SIMD gathers read.</summary>
    internal int[] PackedTable { get; }

    /// <summary>Entry <paramref name="index"/> of the table (0..255).</summary>
    public Rgb this[int index] => new(_table[index * 3], _table[index * 3 + 1], _table[index * 3 + 2]);

    /// <summary>Colour of <paramref name="t"/> in [0, 1]; out-of-range values clamp, NaN gives <see cref="Bad"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (byte R, byte G, byte B) Map(float t)
    {
        if (float.IsNaN(t)) return (Bad.R, Bad.G, Bad.B);
        int offset = IndexOf(t) * 3;
        return (_table[offset], _table[offset + 1], _table[offset + 2]);
    }

    /// <summary>Table index of t: floor(t * 256) clamped to [0, 255] (matplotlib's rule, exact for float32 t).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(float t)
    {
        float scaled = t * Size;
        // Compare before converting so huge values and infinities cannot overflow the int cast.
        if (!(scaled > 0f)) return 0;
        if (scaled >= Size - 1) return Size - 1;
        return (int)scaled;
    }

    /// <summary>
    /// <see cref="IndexOf(float)"/> for eight positions at once, with NaN mapped to 256 (the bad
    /// colour's slot in <see cref="PackedTable"/>). Needs AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> IndicesOf(Vector256<float> t)
    {
        var isNaN = Avx.CompareUnordered(t, t);
        // Max(x, 0) returns 0 for NaN (maxps yields its second operand); those lanes are replaced below.
        var scaled = Avx.Min(Avx.Max(t * Vector256.Create((float)Size), Vector256<float>.Zero), Vector256.Create((float)(Size - 1)));
        return Vector256.ConditionalSelect(isNaN.AsInt32(), Vector256.Create(Size), Avx.ConvertToVector256Int32WithTruncation(scaled));
    }

    /// <summary>Writes the colour of <paramref name="t"/> to three bytes of <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void MapInto(float t, Span<byte> destination)
    {
        if (float.IsNaN(t))
        {
            destination[0] = Bad.R;
            destination[1] = Bad.G;
            destination[2] = Bad.B;
            return;
        }
        int offset = IndexOf(t) * 3;
        destination[0] = _table[offset];
        destination[1] = _table[offset + 1];
        destination[2] = _table[offset + 2];
    }

    public override string ToString() => Name;
}
