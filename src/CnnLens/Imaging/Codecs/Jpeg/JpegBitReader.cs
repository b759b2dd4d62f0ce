using System.Runtime.CompilerServices;

namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>
/// Reads entropy-coded bits: removes 0xFF00 stuffing, stops at markers (then supplies zero bits,
/// as libjpeg does) and notices when the file itself ends, which we treat as truncation.
/// </summary>
internal sealed class JpegBitReader(byte[] data, int start)
{
    private readonly byte[] _data = data;
    private ulong _bits;          // left-aligned
    private int _count;
    private int _paddedBits;      // zero bits appended after a marker or the end of the file

    public int Position { get; private set; } = start;

    public bool HitMarker { get; private set; }

    public bool HitEndOfFile { get; private set; }

    /// <summary>True once decoding has used bits that are not in the file.</summary>
    public bool UsedPadding => _paddedBits > _count;

    private void Fill()
    {
        var data = _data;
        int pos = Position;
        // Fast path: plain bytes (no 0xFF) while the data lasts; everything else goes through NextByte.
        if (!HitMarker)
        {
            while (_count <= 56 && (uint)pos < (uint)data.Length && data[pos] != 0xFF)
            {
                _bits |= (ulong)data[pos++] << (56 - _count);
                _count += 8;
            }
            Position = pos;
        }
        while (_count <= 56)
        {
            _bits |= (ulong)NextByte() << (56 - _count);
            _count += 8;
        }
    }

    private byte NextByte()
    {
        if (HitMarker || HitEndOfFile)
        {
            _paddedBits += 8;
            return 0;
        }
        int pos = Position;
        if (pos >= _data.Length)
        {
            HitEndOfFile = true;
            _paddedBits += 8;
            return 0;
        }
        byte b = _data[pos];
        if (b != 0xFF)
        {
            Position = pos + 1;
            return b;
        }
        int p = pos + 1;
        while (p < _data.Length && _data[p] == 0xFF) p++;
        if (p >= _data.Length)
        {
            HitEndOfFile = true;
            _paddedBits += 8;
            return 0;
        }
        if (_data[p] == 0)
        {
            Position = p + 1;
            return 0xFF;
        }
        HitMarker = true;
        Position = p - 1; // at the 0xFF that introduces the marker
        _paddedBits += 8;
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetBits(int n)
    {
        if (n == 0) return 0;
        if (_count < n) Fill();
        int value = (int)(_bits >> (64 - n));
        _bits <<= n;
        _count -= n;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetBit()
    {
        if (_count < 1) Fill();
        int value = (int)(_bits >> 63);
        _bits <<= 1;
        _count--;
        return value;
    }

    /// <summary>Reads <paramref name="n"/> bits and sign-extends them as JPEG's EXTEND does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Receive(int n)
    {
        if (n == 0) return 0;
        int v = GetBits(n);
        return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Decode(JpegHuffmanTable table)
    {
        if (_count < 16) Fill();
        int entry = table.Lookup[(int)(_bits >> (64 - JpegHuffmanTable.LookupBits))];
        if (entry != 0)
        {
            int length = entry >> 8;
            _bits <<= length;
            _count -= length;
            return entry & 0xFF;
        }
        return DecodeSlow(table);
    }

    private int DecodeSlow(JpegHuffmanTable table)
    {
        int length = JpegHuffmanTable.LookupBits + 1;
        int code = (int)(_bits >> (64 - length));
        while (length <= 16 && code > table.MaxCode[length])
        {
            length++;
            code = (int)(_bits >> (64 - length));
        }
        if (length > 16)
        {
            // libjpeg warns and returns symbol 0 for an impossible code; we do the same after consuming 16 bits.
            _bits <<= 16;
            _count -= 16;
            return 0;
        }
        _bits <<= length;
        _count -= length;
        int index = code + table.ValueOffset[length];
        return (uint)index < (uint)table.Symbols.Length ? table.Symbols[index] : 0;
    }

    /// <summary>
    /// At a restart interval boundary: drops the leftover bits, skips to the next marker and
    /// consumes it when it is an RSTn marker.
    /// </summary>
    public void Restart()
    {
        _bits = 0;
        _count = 0;
        _paddedBits = 0;
        int p = Position;
        if (!HitMarker)
        {
            while (p + 1 < _data.Length && !(_data[p] == 0xFF && _data[p + 1] != 0 && _data[p + 1] != 0xFF)) p++;
            while (p + 1 < _data.Length && _data[p] == 0xFF && _data[p + 1] == 0xFF) p++;
        }
        if (p + 1 < _data.Length && _data[p] == 0xFF && _data[p + 1] is >= 0xD0 and <= 0xD7)
        {
            Position = p + 2;
            HitMarker = false;
            HitEndOfFile = false;
        }
        else
        {
            Position = Math.Min(p, _data.Length);
            HitMarker = Position < _data.Length;
            HitEndOfFile = !HitMarker;
        }
    }
}
