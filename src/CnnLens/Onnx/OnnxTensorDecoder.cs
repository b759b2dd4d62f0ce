using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using CnnLens.Onnx.Protobuf;
using CnnLens.Tensors;

namespace CnnLens.Onnx;

/// <summary>
/// Turns a TensorProto (raw little-endian bytes, typed repeated fields or external data) into a
/// float32 <see cref="Tensor"/>: floating types become Float32, integers Int64, booleans Bool.
/// </summary>
internal static class OnnxTensorDecoder
{
    /// <summary>Decodes one tensor, checking its data length against its dimensions.</summary>
    /// <param name="what">How messages name the tensor, e.g. "tensor 'conv1.weight'".</param>
    /// <param name="detachedRawData">The tensor's raw_data when the reader kept it out of the protobuf (see <see cref="OnnxWeightPayloads"/>).</param>
    public static Tensor Decode(TensorProto proto, string what, OnnxLoadContext context, ReadOnlySpan<byte> detachedRawData = default)
    {
        var elementType = (OnnxElementType)proto.DataType;
        int elementSize = ElementSize(elementType);
        if (elementSize == 0)
            throw context.Error($"{what} has element type {elementType}, which CnnLens cannot compute with; use float, integer or bool tensors");

        int[] shape = CheckedShape(proto.Dims, what, context);
        int count = CountOf(shape); // 1 for a scalar (no dims)
        var data = new float[count];
        long expectedBytes = (long)count * elementSize;

        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
        {
            ReadExternal(proto, what, elementType, expectedBytes, data, context);
        }
        else if (!detachedRawData.IsEmpty || !proto.RawData.IsEmpty)
        {
            var raw = detachedRawData.IsEmpty ? proto.RawData.Span : detachedRawData;
            if (raw.Length != expectedBytes)
                throw LengthMismatch(what, shape, raw.Length, expectedBytes, "bytes", context);
            ConvertRaw(raw, elementType, data);
        }
        else
        {
            ConvertTyped(proto, what, elementType, shape, data, context);
        }
        return new Tensor(shape, data, TagOf(elementType));
    }

    /// <summary>Bytes per element in raw_data; 0 for types the engine does not compute with.</summary>
    public static int ElementSize(OnnxElementType type) => type switch
    {
        OnnxElementType.Float or OnnxElementType.Int32 or OnnxElementType.UInt32 => 4,
        OnnxElementType.Double or OnnxElementType.Int64 or OnnxElementType.UInt64 => 8,
        OnnxElementType.Float16 or OnnxElementType.BFloat16 or OnnxElementType.Int16 or OnnxElementType.UInt16 => 2,
        OnnxElementType.Int8 or OnnxElementType.UInt8 or OnnxElementType.Bool => 1,
        _ => 0,
    };

    /// <summary>The engine's tag for an ONNX element type: floating point as Float32, integers as Int64.</summary>
    public static TensorDataType TagOf(OnnxElementType type) => type switch
    {
        OnnxElementType.Float or OnnxElementType.Double or OnnxElementType.Float16 or OnnxElementType.BFloat16 => TensorDataType.Float32,
        OnnxElementType.Bool => TensorDataType.Bool,
        _ => TensorDataType.Int64,
    };

    internal static int[] CheckedShape(IList<long> dims, string what, OnnxLoadContext context)
    {
        var shape = new int[dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = dims[i];
            if (d < 0)
                throw context.Error($"{what} has a negative dimension {d}; the file is corrupt, re-export the model");
            if (d > Array.MaxLength)
                throw TooLarge(what, dims, context);
            shape[i] = (int)d;
            count *= d;
            if (count > Array.MaxLength) throw TooLarge(what, dims, context);
        }
        return shape;
    }

    private static int CountOf(int[] shape)
    {
        long count = 1;
        foreach (int d in shape) count *= d;
        return (int)count;
    }

    private static ModelLoadException TooLarge(string what, IList<long> dims, OnnxLoadContext context) =>
        context.Error($"{what} of shape [{string.Join(",", dims)}] holds more than 2^31 values, more than one tensor can hold");

    private static ModelLoadException LengthMismatch(string what, int[] shape, long actual, long expected, string unit, OnnxLoadContext context) =>
        context.Error($"{what} of shape {Tensor.ShapeString(shape)} has {actual} {unit} of data but needs {expected}; the file is corrupt, re-export the model");

    private static void ReadExternal(TensorProto proto, string what, OnnxElementType elementType, long expectedBytes, float[] data, OnnxLoadContext context)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var entry in proto.ExternalData)
        {
            switch (entry.Key)
            {
                case "location": location = entry.Value; break;
                case "offset": offset = ParseExternalNumber(entry, what, context); break;
                case "length": length = ParseExternalNumber(entry, what, context); break;
            }
        }
        if (location is null)
            throw context.Error($"{what} is marked as external data but names no location; re-export the model");
        if (length is long declared && declared != expectedBytes)
            throw LengthMismatch(what, proto.Dims.Select(d => (int)d).ToArray(), declared, expectedBytes, "external bytes", context);

        var handle = context.OpenExternalFile(location, what);
        long fileLength = RandomAccess.GetLength(handle);
        if (offset + expectedBytes > fileLength)
            throw context.Error($"external data file '{location}' is too short for {what} ({fileLength} bytes, needs {offset + expectedBytes}); copy the complete file next to the model");

        if (elementType == OnnxElementType.Float && BitConverter.IsLittleEndian)
        {
            // Float32 on a little-endian machine: read straight into the tensor, no staging copy.
            ReadExactly(handle, MemoryMarshal.AsBytes(data.AsSpan()), offset);
            return;
        }
        var bytes = GC.AllocateUninitializedArray<byte>((int)expectedBytes);
        ReadExactly(handle, bytes, offset);
        ConvertRaw(bytes, elementType, data);
    }

    private static long ParseExternalNumber(StringStringEntryProto entry, string what, OnnxLoadContext context) =>
        long.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw context.Error($"{what} has external data {entry.Key} '{entry.Value}', which is not a non-negative integer; re-export the model");

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read == 0) throw new EndOfStreamException();
            destination = destination[read..];
            offset += read;
        }
    }

    /// <summary>Converts little-endian raw bytes (length already checked) to float values.</summary>
    internal static void ConvertRaw(ReadOnlySpan<byte> raw, OnnxElementType type, Span<float> destination)
    {
        // One plain loop per type so each inlines and vectorises; no per-element delegate calls.
        switch (type)
        {
            case OnnxElementType.Float:
                LittleEndian<float>(raw).CopyTo(destination);
                break;
            case OnnxElementType.Double:
            {
                var source = LittleEndian<double>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = (float)source[i];
                break;
            }
            case OnnxElementType.Float16:
            {
                var source = LittleEndian<Half>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = (float)source[i];
                break;
            }
            case OnnxElementType.BFloat16:
            {
                var source = LittleEndian<ushort>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = BFloat16ToFloat(source[i]);
                break;
            }
            case OnnxElementType.Int8:
            {
                var source = MemoryMarshal.Cast<byte, sbyte>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = source[i];
                break;
            }
            case OnnxElementType.UInt8:
                for (int i = 0; i < raw.Length; i++) destination[i] = raw[i];
                break;
            case OnnxElementType.Bool:
                for (int i = 0; i < raw.Length; i++) destination[i] = raw[i] != 0 ? 1f : 0f;
                break;
            case OnnxElementType.Int16:
            {
                var source = LittleEndian<short>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = source[i];
                break;
            }
            case OnnxElementType.UInt16:
            {
                var source = LittleEndian<ushort>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = source[i];
                break;
            }
            case OnnxElementType.Int32:
            {
                var source = LittleEndian<int>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = source[i];
                break;
            }
            case OnnxElementType.UInt32:
            {
                var source = LittleEndian<uint>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = source[i];
                break;
            }
            case OnnxElementType.Int64:
            {
                var source = LittleEndian<long>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = source[i];
                break;
            }
            case OnnxElementType.UInt64:
            {
                var source = LittleEndian<ulong>(raw);
                for (int i = 0; i < source.Length; i++) destination[i] = source[i];
                break;
            }
            default:
                throw new InvalidOperationException($"element type {type} has no raw conversion");
        }
    }

    internal static float BFloat16ToFloat(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>Reinterprets little-endian bytes as T (a byte-swapped copy on big-endian machines).</summary>
    private static ReadOnlySpan<T> LittleEndian<T>(ReadOnlySpan<byte> raw) where T : unmanaged
    {
        if (BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, T>(raw);
        var copy = raw.ToArray();
        switch (Marshal.SizeOf<T>())
        {
            case 2: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(copy), MemoryMarshal.Cast<byte, ushort>(copy.AsSpan())); break;
            case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(copy), MemoryMarshal.Cast<byte, uint>(copy.AsSpan())); break;
            case 8: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(copy), MemoryMarshal.Cast<byte, ulong>(copy.AsSpan())); break;
        }
        return MemoryMarshal.Cast<byte, T>(copy);
    }

    /// <summary>The typed repeated fields ONNX uses when raw_data is absent (small tensors, old exporters).</summary>
    private static void ConvertTyped(TensorProto proto, string what, OnnxElementType type, int[] shape, float[] data, OnnxLoadContext context)
    {
        int available = type switch
        {
            OnnxElementType.Float => proto.FloatData.Count,
            OnnxElementType.Double => proto.DoubleData.Count,
            OnnxElementType.Int64 => proto.Int64Data.Count,
            OnnxElementType.UInt32 or OnnxElementType.UInt64 => proto.Uint64Data.Count,
            _ => proto.Int32Data.Count,
        };
        if (available != data.Length)
            throw LengthMismatch(what, shape, available, data.Length, "values", context);

        switch (type)
        {
            case OnnxElementType.Float:
                proto.FloatData.CopyTo(data, 0);
                break;
            case OnnxElementType.Double:
                for (int i = 0; i < data.Length; i++) data[i] = (float)proto.DoubleData[i];
                break;
            case OnnxElementType.Int64:
                for (int i = 0; i < data.Length; i++) data[i] = proto.Int64Data[i];
                break;
            case OnnxElementType.UInt32:
            case OnnxElementType.UInt64:
                for (int i = 0; i < data.Length; i++) data[i] = proto.Uint64Data[i];
                break;
            case OnnxElementType.Float16:
                // int32_data holds the 16-bit pattern of each half value.
                for (int i = 0; i < data.Length; i++) data[i] = (float)BitConverter.UInt16BitsToHalf((ushort)proto.Int32Data[i]);
                break;
            case OnnxElementType.BFloat16:
                for (int i = 0; i < data.Length; i++) data[i] = BFloat16ToFloat((ushort)proto.Int32Data[i]);
                break;
            case OnnxElementType.Bool:
                for (int i = 0; i < data.Length; i++) data[i] = proto.Int32Data[i] != 0 ? 1f : 0f;
                break;
            default:
                for (int i = 0; i < data.Length; i++) data[i] = proto.Int32Data[i];
                break;
        }
    }
}
