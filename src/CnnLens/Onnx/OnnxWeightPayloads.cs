using System.Buffers;

namespace CnnLens.Onnx;

/// <summary>
/// Fast path for large models: finds the raw_data bytes of big initializers in the serialized
/// model and returns a copy of the protobuf without them, so the generated parser never copies
/// the weights. The reader then converts each payload straight from the file's bytes into the
/// tensor (one copy instead of three). Only the wire format's framing is read here; any
/// malformed input makes <see cref="TryStrip"/> return false and the normal parser reports it.
/// </summary>
internal static class OnnxWeightPayloads
{
    // Field numbers on the path ModelProto.graph -> GraphProto.initializer -> TensorProto.raw_data.
    private const int ModelGraphField = 7;
    private const int GraphInitializerField = 5;
    private const int TensorRawDataField = 9;
    private const int LengthDelimited = 2;

    /// <summary>Payloads smaller than this stay in the protobuf; the bookkeeping is not worth it.</summary>
    private const int DetachThreshold = 4096;

    /// <summary>Where one initializer's raw_data lies in the original bytes.</summary>
    public readonly record struct Payload(int InitializerIndex, int Offset, int Length);

    /// <summary>
    /// Copies <paramref name="model"/> without the large raw_data fields of graph initializers.
    /// Returns false (and nothing useful) if the bytes are not well-formed protobuf framing.
    /// </summary>
    public static bool TryStrip(ReadOnlySpan<byte> model, out byte[] stripped, out List<Payload> payloads)
    {
        payloads = new List<Payload>();
        stripped = [];
        var output = new ArrayBufferWriter<byte>(Math.Min(model.Length, 1 << 20));
        int initializerIndex = 0;
        int pos = 0;
        while (pos < model.Length)
        {
            int fieldStart = pos;
            if (!TryReadTag(model, ref pos, out int field, out int wireType)) return false;
            if (field == ModelGraphField && wireType == LengthDelimited)
            {
                if (!TryReadLength(model, ref pos, out int length)) return false;
                var graph = new ArrayBufferWriter<byte>(Math.Min(length, 1 << 20));
                if (!TryStripGraph(model, pos, length, graph, payloads, ref initializerIndex)) return false;
                WriteLengthDelimited(output, field, graph.WrittenSpan);
                pos += length;
            }
            else
            {
                if (!TrySkip(model, ref pos, wireType)) return false;
                output.Write(model[fieldStart..pos]);
            }
        }
        stripped = output.WrittenSpan.ToArray();
        return true;
    }

    private static bool TryStripGraph(ReadOnlySpan<byte> model, int start, int length, ArrayBufferWriter<byte> output,
        List<Payload> payloads, ref int initializerIndex)
    {
        int end = start + length;
        int pos = start;
        while (pos < end)
        {
            int fieldStart = pos;
            if (!TryReadTag(model, ref pos, out int field, out int wireType)) return false;
            if (field == GraphInitializerField && wireType == LengthDelimited)
            {
                if (!TryReadLength(model, ref pos, out int tensorLength) || pos + tensorLength > end) return false;
                var tensor = new ArrayBufferWriter<byte>(256);
                if (!TryStripTensor(model, pos, tensorLength, tensor, payloads, initializerIndex)) return false;
                WriteLengthDelimited(output, field, tensor.WrittenSpan);
                pos += tensorLength;
                initializerIndex++;
            }
            else
            {
                if (!TrySkip(model, ref pos, wireType) || pos > end) return false;
                output.Write(model[fieldStart..pos]);
            }
        }
        return pos == end;
    }

    private static bool TryStripTensor(ReadOnlySpan<byte> model, int start, int length, ArrayBufferWriter<byte> output,
        List<Payload> payloads, int initializerIndex)
    {
        int end = start + length;
        int pos = start;
        while (pos < end)
        {
            int fieldStart = pos;
            if (!TryReadTag(model, ref pos, out int field, out int wireType)) return false;
            if (!TrySkip(model, ref pos, wireType) || pos > end) return false;
            if (field == TensorRawDataField && wireType == LengthDelimited)
            {
                int headerEnd = fieldStart;
                TryReadTag(model, ref headerEnd, out _, out _);
                TryReadLength(model, ref headerEnd, out int payloadLength);
                if (payloadLength >= DetachThreshold)
                {
                    payloads.Add(new Payload(initializerIndex, headerEnd, payloadLength));
                    continue;
                }
            }
            output.Write(model[fieldStart..pos]);
        }
        return pos == end;
    }

    private static bool TryReadTag(ReadOnlySpan<byte> data, ref int pos, out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (!TryReadVarint(data, ref pos, out ulong tag) || tag > int.MaxValue) return false;
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return field > 0;
    }

    private static bool TryReadLength(ReadOnlySpan<byte> data, ref int pos, out int length)
    {
        length = 0;
        if (!TryReadVarint(data, ref pos, out ulong value) || value > (ulong)(data.Length - pos)) return false;
        length = (int)value;
        return true;
    }

    private static bool TrySkip(ReadOnlySpan<byte> data, ref int pos, int wireType)
    {
        switch (wireType)
        {
            case 0: return TryReadVarint(data, ref pos, out _);
            case 1: pos += 8; return pos <= data.Length;
            case 2:
                if (!TryReadLength(data, ref pos, out int length)) return false;
                pos += length;
                return true;
            case 5: pos += 4; return pos <= data.Length;
            default: return false; // groups (3, 4) never appear in ONNX; let the parser decide
        }
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) return false;
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }

    private static void WriteLengthDelimited(ArrayBufferWriter<byte> output, int field, ReadOnlySpan<byte> body)
    {
        WriteVarint(output, ((ulong)field << 3) | LengthDelimited);
        WriteVarint(output, (ulong)body.Length);
        output.Write(body);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        output.Advance(n);
    }
}
