namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>
/// Decodes baseline and progressive Huffman-coded JPEGs (1 or 3 components, any integer
/// sampling) to the same pixels PIL gives with libjpeg-turbo's defaults: "islow" integer IDCT,
/// fancy upsampling and fixed-point YCbCr conversion. Grayscale files give 1 channel, colour files
/// RGB. Arithmetic coding, lossless, hierarchical, 12-bit and CMYK/YCCK files are rejected with a
/// <see cref="DataFormatException"/>, as is a file whose data ends before the last block.
/// Progressive files whose scans stop before the coefficients are fully refined are decoded
/// without libjpeg's inter-block smoothing of the missing coefficients (complete files, the normal
/// case, are unaffected and match PIL exactly).
/// </summary>
public static class JpegDecoder
{
    /// <summary>True when <paramref name="data"/> starts with the JPEG SOI marker.</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    public static Image Decode(byte[] data, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        if (data.Length < 2 || data[0] != 0xFF || data[1] != 0xD8) throw new DataFormatException("data is not a JPEG file (SOI marker missing)");
        var state = new State(data, options);
        Image image;
        try
        {
            state.ReadMarkers();
            image = state.Output();
        }
        finally
        {
            state.ReturnBuffers();
        }
        return options.ApplyExifOrientation ? ExifOrientation.Apply(image, state.Orientation) : image;
    }

    private sealed class State(byte[] data, DecodeOptions options)
    {
        private readonly ushort[]?[] _quantTables = new ushort[4][];
        private readonly JpegHuffmanTable?[] _dcTables = new JpegHuffmanTable[4];
        private readonly JpegHuffmanTable?[] _acTables = new JpegHuffmanTable[4];
        private JpegComponent[]? _components;
        private int _width, _height, _maxH, _maxV, _mcusPerLine, _mcusPerColumn;
        private bool _progressive;
        private int _restartInterval;
        private bool _sawJfif;
        private int _adobeTransform = -1;
        private int _scans;
        // Large scratch buffers come from the shared pool: fresh multi-megabyte arrays per image cost page faults.
        private readonly List<short[]> _rentedCoefficients = [];
        private readonly List<byte[]> _rentedSamples = [];

        public void ReturnBuffers()
        {
            foreach (var a in _rentedCoefficients) System.Buffers.ArrayPool<short>.Shared.Return(a);
            foreach (var a in _rentedSamples) System.Buffers.ArrayPool<byte>.Shared.Return(a);
            _rentedCoefficients.Clear();
            _rentedSamples.Clear();
        }

        private byte[] RentSamples(int length)
        {
            var a = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
            _rentedSamples.Add(a);
            return a;
        }

        public int Orientation { get; private set; } = 1;

        public void ReadMarkers()
        {
            int pos = 2;
            while (true)
            {
                // Find the next marker, skipping garbage and fill bytes like libjpeg's next_marker.
                while (pos < data.Length && data[pos] != 0xFF) pos++;
                while (pos < data.Length && data[pos] == 0xFF) pos++;
                if (pos >= data.Length)
                {
                    if (_scans > 0) return; // missing EOI after complete scans: libjpeg inserts one
                    throw BigEndian.Truncated("JPEG");
                }
                int marker = data[pos++];
                if (marker == 0xD9) return;
                if (marker is >= 0xD0 and <= 0xD7 or 0x01 or 0x00) continue;
                int length = BigEndian.UInt16(data, pos, "JPEG");
                if (length < 2 || pos + length > data.Length) throw BigEndian.Truncated("JPEG");
                var segment = data.AsSpan(pos + 2, length - 2);
                int next = pos + length;
                switch (marker)
                {
                    case 0xC0 or 0xC1 or 0xC2:
                        ReadFrame(segment, marker == 0xC2);
                        break;
                    case 0xC3 or 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                        throw new DataFormatException($"JPEG uses {FrameKind(marker)}, which is not supported; re-save it as a baseline or progressive JPEG (or PNG)");
                    case 0xC4:
                        ReadHuffmanTables(segment);
                        break;
                    case 0xDB:
                        ReadQuantTables(segment);
                        break;
                    case 0xDD:
                        if (segment.Length < 2) throw BigEndian.Truncated("JPEG");
                        _restartInterval = BigEndian.UInt16(segment, 0, "JPEG");
                        break;
                    case 0xE0:
                        if (segment.StartsWith("JFIF\0"u8)) _sawJfif = true;
                        break;
                    case 0xE1:
                        if (Orientation == 1) Orientation = ExifOrientation.Read(segment);
                        break;
                    case 0xEE:
                        if (segment.Length >= 12 && segment.StartsWith("Adobe"u8)) _adobeTransform = segment[11];
                        break;
                    case 0xDA:
                        next = ReadScan(segment, next);
                        break;
                }
                pos = next;
            }
        }

        private static string FrameKind(int marker) => marker switch
        {
            0xC3 => "lossless coding (SOF3)",
            0xC5 or 0xC6 or 0xC7 => "hierarchical coding",
            _ => "arithmetic coding",
        };

        private void ReadFrame(ReadOnlySpan<byte> s, bool progressive)
        {
            if (_components is not null) throw new DataFormatException("JPEG has two frame headers (SOF); the file is corrupt");
            if (s.Length < 6) throw BigEndian.Truncated("JPEG");
            if (s[0] != 8) throw new DataFormatException($"JPEG has {s[0]}-bit samples; only 8-bit JPEGs are supported");
            _height = BigEndian.UInt16(s, 1, "JPEG");
            _width = BigEndian.UInt16(s, 3, "JPEG");
            if (_height == 0) throw new DataFormatException("JPEG defers its height to a DNL marker, which is not supported");
            options.CheckSize(_width, _height, "JPEG");
            int count = s[5];
            if (count == 4) throw new DataFormatException("JPEG has 4 components (CMYK/YCCK), which is not supported; convert it to RGB");
            if (count is not (1 or 3)) throw new DataFormatException($"JPEG has {count} components; only grayscale (1) and colour (3) are supported");
            if (s.Length < 6 + 3 * count) throw BigEndian.Truncated("JPEG");
            var components = new JpegComponent[count];
            for (int i = 0; i < count; i++)
            {
                int h = s[7 + 3 * i] >> 4, v = s[7 + 3 * i] & 15, tq = s[8 + 3 * i];
                if (h is < 1 or > 4 || v is < 1 or > 4 || tq > 3) throw new DataFormatException("JPEG component has invalid sampling factors or table number; the file is corrupt");
                components[i] = new JpegComponent { Id = s[6 + 3 * i], HorizontalSampling = h, VerticalSampling = v, QuantTableIndex = tq };
            }
            _maxH = components.Max(c => c.HorizontalSampling);
            _maxV = components.Max(c => c.VerticalSampling);
            foreach (var c in components)
                if (_maxH % c.HorizontalSampling != 0 || _maxV % c.VerticalSampling != 0)
                    throw new DataFormatException("JPEG uses fractional chroma subsampling, which is not supported");
            _mcusPerLine = (_width + 8 * _maxH - 1) / (8 * _maxH);
            _mcusPerColumn = (_height + 8 * _maxV - 1) / (8 * _maxV);
            long totalBlocks = 0;
            foreach (var c in components)
            {
                c.BlocksPerLine = _mcusPerLine * c.HorizontalSampling;
                c.BlocksPerColumn = _mcusPerColumn * c.VerticalSampling;
                c.DownsampledWidth = (int)(((long)_width * c.HorizontalSampling + _maxH - 1) / _maxH);
                c.DownsampledHeight = (int)(((long)_height * c.VerticalSampling + _maxV - 1) / _maxV);
                c.ScanBlocksPerLine = (c.DownsampledWidth + 7) / 8;
                c.ScanBlocksPerColumn = (c.DownsampledHeight + 7) / 8;
                totalBlocks += (long)c.BlocksPerLine * c.BlocksPerColumn;
            }
            // Every block costs at least one bit in its first scan, so a header that promises far more
            // blocks than the file has bits is corrupt; checking first avoids huge allocations.
            if (totalBlocks > 8L * data.Length + 4096)
                throw new DataFormatException($"JPEG declares {_width}x{_height} pixels but holds only {data.Length} bytes; the file is truncated or corrupt");
            foreach (var c in components)
            {
                int length = checked(c.BlocksPerLine * c.BlocksPerColumn * 64);
                var coefficients = System.Buffers.ArrayPool<short>.Shared.Rent(length);
                _rentedCoefficients.Add(coefficients);
                Array.Clear(coefficients, 0, length);
                c.Coefficients = coefficients;
            }
            _components = components;
            _progressive = progressive;
        }

        private void ReadHuffmanTables(ReadOnlySpan<byte> s)
        {
            int p = 0;
            while (p < s.Length)
            {
                if (p + 17 > s.Length) throw BigEndian.Truncated("JPEG");
                int tc = s[p] >> 4, th = s[p] & 15;
                if (tc > 1 || th > 3) throw new DataFormatException("JPEG Huffman table has an invalid class or number; the file is corrupt");
                var counts = s.Slice(p + 1, 16);
                int total = 0;
                foreach (byte b in counts) total += b;
                if (total > 256 || p + 17 + total > s.Length) throw new DataFormatException("JPEG Huffman table is malformed; the file is corrupt");
                var table = new JpegHuffmanTable(counts, s.Slice(p + 17, total));
                (tc == 0 ? _dcTables : _acTables)[th] = table;
                p += 17 + total;
            }
        }

        private void ReadQuantTables(ReadOnlySpan<byte> s)
        {
            int p = 0;
            while (p < s.Length)
            {
                int precision = s[p] >> 4, index = s[p] & 15;
                if (precision > 1 || index > 3) throw new DataFormatException("JPEG quantisation table has an invalid precision or number; the file is corrupt");
                int size = precision == 0 ? 64 : 128;
                if (p + 1 + size > s.Length) throw BigEndian.Truncated("JPEG");
                var table = new ushort[64];
                for (int k = 0; k < 64; k++)
                    table[JpegZigZag.ToNatural[k]] = precision == 0 ? s[p + 1 + k] : (ushort)BigEndian.UInt16(s, p + 1 + 2 * k, "JPEG");
                _quantTables[index] = table;
                p += 1 + size;
            }
        }

        private int ReadScan(ReadOnlySpan<byte> s, int dataStart)
        {
            if (_components is null) throw new DataFormatException("JPEG scan comes before the frame header; the file is corrupt");
            if (s.Length < 1) throw BigEndian.Truncated("JPEG");
            int count = s[0];
            if (count < 1 || count > 4 || s.Length < 4 + 2 * count) throw new DataFormatException("JPEG scan header is malformed; the file is corrupt");
            var scanComponents = new JpegComponent[count];
            int blocksPerMcu = 0;
            for (int i = 0; i < count; i++)
            {
                int id = s[1 + 2 * i], tables = s[2 + 2 * i];
                var c = Array.Find(_components, x => x.Id == id)
                    ?? throw new DataFormatException($"JPEG scan refers to component {id}, which the frame does not have; the file is corrupt");
                if (Array.IndexOf(scanComponents, c) >= 0) throw new DataFormatException("JPEG scan lists a component twice; the file is corrupt");
                c.DcTable = _dcTables[(tables >> 4) & 3];
                c.AcTable = _acTables[tables & 3];
                c.Quantization ??= _quantTables[c.QuantTableIndex];
                if (c.Quantization is null) throw new DataFormatException("JPEG component has no quantisation table; the file is corrupt");
                scanComponents[i] = c;
                blocksPerMcu += c.HorizontalSampling * c.VerticalSampling;
            }
            if (count > 1 && blocksPerMcu > 10) throw new DataFormatException("JPEG scan has more than 10 blocks per MCU; the file is corrupt");
            int ss = s[1 + 2 * count], se = s[2 + 2 * count], ah = s[3 + 2 * count] >> 4, al = s[3 + 2 * count] & 15;
            if (_progressive)
            {
                bool valid = ss <= se && se <= 63 && al <= 13 && (ss == 0 ? se == 0 : count == 1);
                if (!valid) throw new DataFormatException("JPEG progressive scan has invalid spectral or approximation parameters; the file is corrupt");
            }
            else
            {
                ss = 0;
                se = 63;
                ah = al = 0;
            }
            foreach (var c in scanComponents)
            {
                bool needsDc = !_progressive || (ss == 0 && ah == 0);
                bool needsAc = !_progressive || ss > 0;
                if ((needsDc && c.DcTable is null) || (needsAc && c.AcTable is null))
                    throw new DataFormatException("JPEG scan uses a Huffman table that was never defined; the file is corrupt");
            }
            var reader = new JpegBitReader(data, dataStart);
            new JpegScanDecoder(scanComponents, _mcusPerLine, _mcusPerColumn, _restartInterval, _progressive, ss, se, ah, al, reader).Decode();
            _scans++;
            return reader.Position;
        }

        public Image Output()
        {
            if (_components is null) throw new DataFormatException("JPEG file has no frame header (SOF); it is truncated or corrupt");
            if (_scans == 0) throw new DataFormatException("JPEG file has no image data (SOS); it is truncated or corrupt");
            int w = _width, h = _height;
            var planes = new JpegColorConverter.Plane[_components.Length];
            for (int i = 0; i < _components.Length; i++) planes[i] = ComponentPlane(_components[i]);
            if (_components.Length == 1)
            {
                var (gray, stride) = planes[0];
                var packed = GC.AllocateUninitializedArray<byte>(w * h);
                for (int y = 0; y < h; y++) gray.AsSpan(y * stride, w).CopyTo(packed.AsSpan(y * w));
                return new Image(w, h, 1, packed);
            }

            var rgb = GC.AllocateUninitializedArray<byte>(w * h * 3);
            JpegColorConverter.ToRgb(planes[0], planes[1], planes[2], !IsRgb(), rgb, w, h);
            return new Image(w, h, 3, rgb);
        }

        /// <summary>libjpeg's guess of the colour space: JFIF means YCbCr, Adobe says explicitly, else component ids 'R','G','B' mean RGB.</summary>
        private bool IsRgb()
        {
            if (_sawJfif) return false;
            if (_adobeTransform >= 0) return _adobeTransform == 0;
            return _components![0].Id == 'R' && _components[1].Id == 'G' && _components[2].Id == 'B';
        }

        /// <summary>Inverse-transforms one component and upsamples it to full size (full-size components keep their block-padded stride).</summary>
        private JpegColorConverter.Plane ComponentPlane(JpegComponent c)
        {
            int stride = c.BlocksPerLine * 8;
            var samples = RentSamples(stride * c.BlocksPerColumn * 8); // every byte read is written first
            var quant = c.Quantization ?? _quantTables[c.QuantTableIndex] ?? new ushort[64];
            // Rows beyond the real samples are never looked at, so only transform the blocks that hold them.
            int blockRows = Math.Min(c.BlocksPerColumn, c.ScanBlocksPerColumn);
            int blockCols = Math.Min(c.BlocksPerLine, c.ScanBlocksPerLine);
            Tensors.Parallelism.For(blockRows, (r0, r1) =>
            {
                bool simd = JpegInverseDctAvx2.IsSupported;
                for (int by = r0; by < r1; by++)
                    for (int bx = 0; bx < blockCols; bx++)
                        if (simd)
                            JpegInverseDctAvx2.Transform(c.Coefficients.AsSpan((by * c.BlocksPerLine + bx) * 64, 64), quant,
                                samples.AsSpan(by * 8 * stride + bx * 8), stride);
                        else
                            JpegInverseDct.Transform(c.Coefficients.AsSpan((by * c.BlocksPerLine + bx) * 64, 64), quant,
                            samples.AsSpan(by * 8 * stride + bx * 8), stride);
            }, costPerItem: blockCols * 1000);

            int fx = _maxH / c.HorizontalSampling, fy = _maxV / c.VerticalSampling;
            if (fx == 1 && fy == 1) return new(samples, stride);
            var plane = RentSamples(_width * _height);
            JpegUpsampler.Upsample(samples, stride, c.DownsampledWidth, c.DownsampledHeight, fx, fy, plane, _width, _height);
            return new(plane, _width);
        }
    }
}
