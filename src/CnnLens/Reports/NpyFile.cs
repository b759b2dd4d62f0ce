using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CnnLens.Tensors;

namespace CnnLens.Reports;

/// <summary>
/// NumPy .npy files. Reads format versions 1.0, 2.0 and 3.0 with float (f2, f4, f8), integer
/// (i1..i8, u1..u8) and bool element types in either byte order and C or Fortran order; integers
/// become Int64-tagged tensors, bools Bool-tagged ones. Writes float32, version 1.0, little-endian,
/// C order, atomically.
/// </summary>
public static class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a .npy file into a tensor (a 0-d array becomes a rank-0 tensor).</summary>
    public static Tensor Read(string path)
    {
        if (Directory.Exists(path))
            throw new DataFormatException($"cannot read '{path}': it is a folder, not a .npy file");
        if (!File.Exists(path))
            throw new DataFormatException($"cannot read '{path}': the file does not exist; check the path");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            return Read(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"cannot read '{path}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>Reads .npy data from a stream; <paramref name="sourceName"/> names it in messages.</summary>
    public static Tensor Read(Stream stream, string sourceName = "<stream>")
    {
        var header = ReadHeader(stream, sourceName);
        int count = Tensor.CheckedLength(header.Shape);
        var data = new float[count];

        if (header.Kind == 'f' && header.Size == 4 && header.LittleEndian == BitConverter.IsLittleEndian)
        {
            // Native float32: read straight into the tensor.
            ReadExactly(stream, MemoryMarshal.AsBytes(data.AsSpan()), sourceName, header);
        }
        else
        {
            var bytes = GC.AllocateUninitializedArray<byte>(checked(count * header.Size));
            ReadExactly(stream, bytes, sourceName, header);
            Convert(bytes, header, data);
        }

        if (header.FortranOrder && header.Shape.Length > 1) data = FortranToC(data, header.Shape);
        var dataType = header.Kind switch { 'b' => TensorDataType.Bool, 'i' or 'u' => TensorDataType.Int64, _ => TensorDataType.Float32 };
        return new Tensor(header.Shape, data, dataType);
    }

    /// <summary>
    /// Writes <paramref name="tensor"/> as float32 (format 1.0, little-endian, C order). The file
    /// appears complete or not at all: data goes to a temporary file that is then renamed.
    /// </summary>
    public static void Write(string path, Tensor tensor) => AtomicFile.Write(path, ".npy file", stream => Write(stream, tensor));

    /// <summary>Writes <paramref name="tensor"/> as float32 .npy data (format 1.0) to a stream.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        stream.Write(BuildHeader(tensor.Shape));
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
            return;
        }
        var buffer = new byte[4];
        foreach (float v in tensor.Data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
            stream.Write(buffer);
        }
    }

    /// <summary>Magic, version 1.0, header length and the padded header dict (total a multiple of 64 bytes).</summary>
    private static byte[] BuildHeader(ReadOnlySpan<int> shape)
    {
        string dims = shape.Length switch
        {
            0 => "()",
            1 => $"({shape[0]},)",
            _ => "(" + string.Join(", ", shape.ToArray()) + ")",
        };
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {dims}, }}";
        int preamble = 10;
        int total = (preamble + dict.Length + 1 + 63) / 64 * 64;
        string text = dict + new string(' ', total - preamble - dict.Length - 1) + "\n";
        var header = new byte[total];
        Magic.CopyTo(header);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), checked((ushort)text.Length));
        Encoding.ASCII.GetBytes(text, header.AsSpan(preamble));
        return header;
    }

    private sealed record NpyHeader(char Kind, int Size, bool LittleEndian, bool FortranOrder, int[] Shape, string Descr);

    private static NpyHeader ReadHeader(Stream stream, string sourceName)
    {
        Span<byte> start = stackalloc byte[8];
        if (stream.ReadAtLeast(start, 8, throwOnEndOfStream: false) < 8 || !start[..6].SequenceEqual(Magic))
            throw new DataFormatException($"cannot read '{sourceName}': it is not a NumPy .npy file (no \\x93NUMPY signature); save the array with numpy.save");

        int major = start[6];
        int lengthBytes = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new DataFormatException($"cannot read '{sourceName}': .npy format version {major}.{start[7]} is not supported (1.0, 2.0 and 3.0 are)"),
        };
        Span<byte> lengthField = stackalloc byte[4];
        if (stream.ReadAtLeast(lengthField[..lengthBytes], lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw Truncated(sourceName, "header");
        long headerLength = lengthBytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField) : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (headerLength > 1 << 20)
            throw new DataFormatException($"cannot read '{sourceName}': its .npy header claims {headerLength} bytes, so the file is corrupt");

        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length)
            throw Truncated(sourceName, "header");
        // Version 1 and 2 headers are latin-1; version 3 allows UTF-8.
        string text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        return ParseHeader(text, sourceName);
    }

    private static NpyHeader ParseHeader(string text, string sourceName)
    {
        var dict = NpyHeaderParser.Parse(text, sourceName);
        if (!dict.TryGetValue("descr", out var descrValue) || descrValue is not string descr)
            throw new DataFormatException($"cannot read '{sourceName}': its element type is a structured dtype, which is not supported; save a plain numeric array");
        if (!dict.TryGetValue("fortran_order", out var fortranValue) || fortranValue is not bool fortran)
            throw new DataFormatException($"cannot read '{sourceName}': its .npy header has no fortran_order; the file is corrupt");
        if (!dict.TryGetValue("shape", out var shapeValue) || shapeValue is not List<long> dims)
            throw new DataFormatException($"cannot read '{sourceName}': its .npy header has no shape; the file is corrupt");

        var shape = new int[dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            count *= dims[i];
            if (dims[i] < 0 || dims[i] > Array.MaxLength || count > Array.MaxLength)
                throw new DataFormatException($"cannot read '{sourceName}': shape ({string.Join(", ", dims)}) holds more values than one tensor can");
            shape[i] = (int)dims[i];
        }

        if (descr.Length < 3 || descr[0] is not ('<' or '>' or '|' or '=') || !int.TryParse(descr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int size) || !IsSupported(descr[1], size))
            throw new DataFormatException($"cannot read '{sourceName}': element type '{descr}' is not supported; save it as float32 (numpy: array.astype('float32'))");
        bool littleEndian = descr[0] switch { '<' => true, '>' => false, _ => BitConverter.IsLittleEndian };
        return new NpyHeader(descr[1], size, littleEndian, fortran, shape, descr);
    }

    private static bool IsSupported(char kind, int size) => kind switch
    {
        'f' => size is 2 or 4 or 8,
        'i' or 'u' => size is 1 or 2 or 4 or 8,
        'b' => size == 1,
        _ => false,
    };

    private static void ReadExactly(Stream stream, Span<byte> destination, string sourceName, NpyHeader header)
    {
        if (stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) < destination.Length)
            throw Truncated(sourceName, $"data ({destination.Length} bytes expected for shape {Tensor.ShapeString(header.Shape)} of '{header.Descr}')");
    }

    private static DataFormatException Truncated(string sourceName, string part) =>
        new($"cannot read '{sourceName}': the file is truncated in its {part}; save it again");

    private static void Convert(byte[] bytes, NpyHeader header, float[] data)
    {
        bool le = header.LittleEndian;
        ReadOnlySpan<byte> b = bytes;
        switch (header.Kind, header.Size)
        {
            case ('f', 2): for (int i = 0; i < data.Length; i++) data[i] = (float)(le ? BinaryPrimitives.ReadHalfLittleEndian(b[(i * 2)..]) : BinaryPrimitives.ReadHalfBigEndian(b[(i * 2)..])); break;
            case ('f', 4): for (int i = 0; i < data.Length; i++) data[i] = le ? BinaryPrimitives.ReadSingleLittleEndian(b[(i * 4)..]) : BinaryPrimitives.ReadSingleBigEndian(b[(i * 4)..]); break;
            case ('f', 8): for (int i = 0; i < data.Length; i++) data[i] = (float)(le ? BinaryPrimitives.ReadDoubleLittleEndian(b[(i * 8)..]) : BinaryPrimitives.ReadDoubleBigEndian(b[(i * 8)..])); break;
            case ('i', 1): for (int i = 0; i < data.Length; i++) data[i] = (sbyte)b[i]; break;
            case ('u', 1): for (int i = 0; i < data.Length; i++) data[i] = b[i]; break;
            case ('b', 1): for (int i = 0; i < data.Length; i++) data[i] = b[i] != 0 ? 1f : 0f; break;
            case ('i', 2): for (int i = 0; i < data.Length; i++) data[i] = le ? BinaryPrimitives.ReadInt16LittleEndian(b[(i * 2)..]) : BinaryPrimitives.ReadInt16BigEndian(b[(i * 2)..]); break;
            case ('u', 2): for (int i = 0; i < data.Length; i++) data[i] = le ? BinaryPrimitives.ReadUInt16LittleEndian(b[(i * 2)..]) : BinaryPrimitives.ReadUInt16BigEndian(b[(i * 2)..]); break;
            case ('i', 4): for (int i = 0; i < data.Length; i++) data[i] = le ? BinaryPrimitives.ReadInt32LittleEndian(b[(i * 4)..]) : BinaryPrimitives.ReadInt32BigEndian(b[(i * 4)..]); break;
            case ('u', 4): for (int i = 0; i < data.Length; i++) data[i] = le ? BinaryPrimitives.ReadUInt32LittleEndian(b[(i * 4)..]) : BinaryPrimitives.ReadUInt32BigEndian(b[(i * 4)..]); break;
            case ('i', 8): for (int i = 0; i < data.Length; i++) data[i] = le ? BinaryPrimitives.ReadInt64LittleEndian(b[(i * 8)..]) : BinaryPrimitives.ReadInt64BigEndian(b[(i * 8)..]); break;
            case ('u', 8): for (int i = 0; i < data.Length; i++) data[i] = le ? BinaryPrimitives.ReadUInt64LittleEndian(b[(i * 8)..]) : BinaryPrimitives.ReadUInt64BigEndian(b[(i * 8)..]); break;
            default: throw new InvalidOperationException($"no conversion for {header.Descr}");
        }
    }

    /// <summary>Column-major (first index fastest) values to row-major order.</summary>
    private static float[] FortranToC(float[] fortran, int[] shape)
    {
        var result = new float[fortran.Length];
        var cStrides = Tensor.StridesOf(shape);
        var index = new int[shape.Length];
        // Walk the Fortran data in its own order, keeping the C offset of the current index.
        int cOffset = 0;
        for (int f = 0; f < fortran.Length; f++)
        {
            result[cOffset] = fortran[f];
            for (int axis = 0; axis < shape.Length; axis++)
            {
                index[axis]++;
                cOffset += cStrides[axis];
                if (index[axis] < shape[axis]) break;
                cOffset -= cStrides[axis] * shape[axis];
                index[axis] = 0;
            }
        }
        return result;
    }

}
