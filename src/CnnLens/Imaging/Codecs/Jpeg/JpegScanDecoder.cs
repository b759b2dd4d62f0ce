namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>
/// Decodes the entropy-coded data of one scan (baseline sequential, or one of the four
/// progressive scan kinds of ITU T.81 G.1.2) into the components' coefficient arrays.
/// </summary>
internal sealed class JpegScanDecoder
{
    private readonly JpegComponent[] _components;
    private readonly int _mcusPerLine, _mcusPerColumn;
    private readonly int _restartInterval;
    private readonly bool _progressive;
    private readonly int _spectralStart, _spectralEnd, _approxHigh, _approxLow;
    private readonly JpegBitReader _reader;
    private int _eobRun;

    public JpegScanDecoder(JpegComponent[] scanComponents, int mcusPerLine, int mcusPerColumn, int restartInterval,
        bool progressive, int spectralStart, int spectralEnd, int approxHigh, int approxLow, JpegBitReader reader)
    {
        _components = scanComponents;
        _mcusPerLine = mcusPerLine;
        _mcusPerColumn = mcusPerColumn;
        _restartInterval = restartInterval;
        _progressive = progressive;
        _spectralStart = spectralStart;
        _spectralEnd = spectralEnd;
        _approxHigh = approxHigh;
        _approxLow = approxLow;
        _reader = reader;
    }

    public void Decode()
    {
        foreach (var c in _components) c.DcPredictor = 0;
        bool single = _components.Length == 1;
        var first = _components[0];
        int mcuCount = single ? first.ScanBlocksPerLine * first.ScanBlocksPerColumn : _mcusPerLine * _mcusPerColumn;
        int perLine = single ? first.ScanBlocksPerLine : _mcusPerLine;
        bool skipping = false;
        for (int mcu = 0; mcu < mcuCount; mcu++)
        {
            if (_restartInterval > 0 && mcu > 0 && mcu % _restartInterval == 0)
            {
                CheckTruncation();
                _reader.Restart();
                skipping = _reader.HitMarker;
                _eobRun = 0;
                foreach (var c in _components) c.DcPredictor = 0;
            }
            if (skipping) continue;
            int mcuX = mcu % perLine, mcuY = mcu / perLine;
            if (single)
            {
                DecodeBlock(first, first.Coefficients.AsSpan((mcuY * first.BlocksPerLine + mcuX) * 64, 64));
            }
            else
            {
                foreach (var c in _components)
                    for (int by = 0; by < c.VerticalSampling; by++)
                        for (int bx = 0; bx < c.HorizontalSampling; bx++)
                        {
                            int row = mcuY * c.VerticalSampling + by, col = mcuX * c.HorizontalSampling + bx;
                            DecodeBlock(c, c.Coefficients.AsSpan((row * c.BlocksPerLine + col) * 64, 64));
                        }
            }
            // libjpeg stops decoding (leaving blocks as they are) once the data ran into a marker.
            if (_reader.UsedPadding)
            {
                CheckTruncation();
                skipping = true;
            }
        }
        CheckTruncation();
    }

    private void CheckTruncation()
    {
        if (_reader.HitEndOfFile && _reader.UsedPadding)
            throw new DataFormatException("JPEG image data ends before the last block; the file is truncated");
    }

    private void DecodeBlock(JpegComponent c, Span<short> block)
    {
        if (!_progressive) DecodeBaseline(c, block);
        else if (_spectralStart == 0)
        {
            if (_approxHigh == 0) DecodeDcFirst(c, block);
            else if (_reader.GetBit() != 0) block[0] |= (short)(1 << _approxLow);
        }
        else if (_approxHigh == 0) DecodeAcFirst(c, block);
        else DecodeAcRefine(c, block);
    }

    private void DecodeBaseline(JpegComponent c, Span<short> block)
    {
        var reader = _reader;
        int s = reader.Decode(c.DcTable!);
        c.DcPredictor += reader.Receive(s);
        block[0] = (short)c.DcPredictor;
        var ac = c.AcTable!;
        var natural = JpegZigZag.ToNatural;
        for (int k = 1; k < 64; k++)
        {
            int rs = reader.Decode(ac);
            int r = rs >> 4;
            s = rs & 15;
            if (s != 0)
            {
                k += r;
                block[natural[k]] = (short)reader.Receive(s);
            }
            else
            {
                if (r != 15) break;
                k += 15;
            }
        }
    }

    private void DecodeDcFirst(JpegComponent c, Span<short> block)
    {
        int s = _reader.Decode(c.DcTable!);
        c.DcPredictor += _reader.Receive(s);
        block[0] = (short)(c.DcPredictor << _approxLow);
    }

    private void DecodeAcFirst(JpegComponent c, Span<short> block)
    {
        if (_eobRun > 0)
        {
            _eobRun--;
            return;
        }
        var ac = c.AcTable!;
        var natural = JpegZigZag.ToNatural;
        for (int k = _spectralStart; k <= _spectralEnd; k++)
        {
            int rs = _reader.Decode(ac);
            int r = rs >> 4, s = rs & 15;
            if (s != 0)
            {
                k += r;
                block[natural[k]] = (short)(_reader.Receive(s) << _approxLow);
            }
            else if (r == 15)
            {
                k += 15;
            }
            else
            {
                _eobRun = (1 << r) - 1;
                if (r > 0) _eobRun += _reader.GetBits(r);
                break;
            }
        }
    }

    private void DecodeAcRefine(JpegComponent c, Span<short> block)
    {
        int p1 = 1 << _approxLow, m1 = -1 << _approxLow;
        var ac = c.AcTable!;
        var natural = JpegZigZag.ToNatural;
        int k = _spectralStart;
        if (_eobRun == 0)
        {
            for (; k <= _spectralEnd; k++)
            {
                int rs = _reader.Decode(ac);
                int r = rs >> 4, s = rs & 15;
                if (s != 0)
                {
                    s = _reader.GetBit() != 0 ? p1 : m1;
                }
                else if (r != 15)
                {
                    _eobRun = 1 << r;
                    if (r > 0) _eobRun += _reader.GetBits(r);
                    break;
                }
                // Skip r zero coefficients, refining the non-zero ones passed on the way.
                do
                {
                    int z = natural[k];
                    if (block[z] != 0)
                        RefineNonZero(ref block[z], p1, m1);
                    else if (--r < 0) break;
                    k++;
                } while (k <= _spectralEnd);
                if (s != 0) block[natural[k]] = (short)s;
            }
        }
        if (_eobRun > 0)
        {
            for (; k <= _spectralEnd; k++)
            {
                int z = natural[k];
                if (block[z] != 0) RefineNonZero(ref block[z], p1, m1);
            }
            _eobRun--;
        }
    }

    private void RefineNonZero(ref short coefficient, int p1, int m1)
    {
        if (_reader.GetBit() != 0 && (coefficient & p1) == 0)
            coefficient = (short)(coefficient >= 0 ? coefficient + p1 : coefficient + m1);
    }
}
