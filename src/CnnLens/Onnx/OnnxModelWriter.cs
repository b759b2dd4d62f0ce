using CnnLens.Onnx.Protobuf;
using CnnLens.Tensors;
using Google.Protobuf;

namespace CnnLens.Onnx;

/// <summary>
/// Writes an <see cref="OnnxModel"/> as an ONNX protobuf file: opsets, graph, nodes with every
/// attribute kind, initializers as raw little-endian data (float32, int64 or bool per tensor tag),
/// declared inputs/outputs/value_info with fixed and symbolic dimensions, and metadata.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>
    /// Saves to <paramref name="path"/> atomically: the model is written to a temporary file in the
    /// same folder and renamed over the target, so a failure never leaves a partial model behind.
    /// </summary>
    public static void Save(OnnxModel model, string path)
    {
        var proto = ToProto(model);
        AtomicFile.Write(path, "model", stream => proto.WriteTo(stream));
    }

    /// <summary>Writes the model's protobuf bytes to a stream (the caller owns the stream).</summary>
    public static void Save(OnnxModel model, Stream stream) => ToProto(model).WriteTo(stream);

    /// <summary>The model's protobuf bytes.</summary>
    public static byte[] ToBytes(OnnxModel model) => ToProto(model).ToByteArray();

    internal static ModelProto ToProto(OnnxModel model)
    {
        var proto = new ModelProto
        {
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Graph = ToProto(model.Graph),
        };
        foreach (var (domain, version) in model.Opsets)
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        // A model without a default-domain opset is invalid ONNX; state the one the engine assumes.
        if (!model.Opsets.ContainsKey("") && !model.Opsets.ContainsKey("ai.onnx"))
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = model.DefaultOpset });
        foreach (var (key, value) in model.Metadata)
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    private static GraphProto ToProto(OnnxGraph graph)
    {
        // The ONNX checker requires a graph name.
        var proto = new GraphProto { Name = graph.Name.Length > 0 ? graph.Name : "graph" };
        foreach (var node in graph.Nodes) proto.Node.Add(ToProto(node));
        foreach (var (name, tensor) in graph.Initializers) proto.Initializer.Add(EncodeTensor(tensor, name));
        foreach (var input in graph.Inputs) proto.Input.Add(ToProto(input));
        foreach (var output in graph.Outputs) proto.Output.Add(ToProto(output));
        foreach (var info in graph.ValueInfo) proto.ValueInfo.Add(ToProto(info));
        return proto;
    }

    private static NodeProto ToProto(OnnxNode node)
    {
        var proto = new NodeProto { Name = node.Name, OpType = node.OpType, Domain = node.Domain };
        proto.Input.AddRange(node.Inputs);
        proto.Output.AddRange(node.Outputs);
        foreach (string name in node.Attributes.Names)
            proto.Attribute.Add(EncodeAttribute(name, node.Attributes.GetRaw(name)!, node));
        return proto;
    }

    private static AttributeProto EncodeAttribute(string name, object value, OnnxNode node)
    {
        var proto = new AttributeProto { Name = name };
        switch (value)
        {
            case long l: proto.Type = AttributeProto.Types.AttributeType.Int; proto.I = l; break;
            case int i: proto.Type = AttributeProto.Types.AttributeType.Int; proto.I = i; break;
            case float f: proto.Type = AttributeProto.Types.AttributeType.Float; proto.F = f; break;
            case double d: proto.Type = AttributeProto.Types.AttributeType.Float; proto.F = (float)d; break;
            case string s: proto.Type = AttributeProto.Types.AttributeType.String; proto.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: proto.Type = AttributeProto.Types.AttributeType.Ints; proto.Ints.AddRange(ls); break;
            case int[] ints: proto.Type = AttributeProto.Types.AttributeType.Ints; proto.Ints.AddRange(ints.Select(v => (long)v)); break;
            case float[] fs: proto.Type = AttributeProto.Types.AttributeType.Floats; proto.Floats.AddRange(fs); break;
            case double[] ds: proto.Type = AttributeProto.Types.AttributeType.Floats; proto.Floats.AddRange(ds.Select(v => (float)v)); break;
            case string[] ss: proto.Type = AttributeProto.Types.AttributeType.Strings; proto.Strings.AddRange(ss.Select(ByteString.CopyFromUtf8)); break;
            case Tensor t: proto.Type = AttributeProto.Types.AttributeType.Tensor; proto.T = EncodeTensor(t, ""); break;
            default:
                throw new CnnLensException($"attribute '{name}' of node {node} holds a {value.GetType().Name}, which ONNX cannot store; use long, float, string, their arrays, or a Tensor");
        }
        return proto;
    }

    private static ValueInfoProto ToProto(OnnxValueInfo info)
    {
        var proto = new ValueInfoProto { Name = info.Name };
        // Undefined element type marks a non-tensor value (sequence, map) the reader could not describe.
        if (info.ElementType == OnnxElementType.Undefined && info.Shape is null) return proto;

        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)info.ElementType };
        if (info.Shape is { } shape)
        {
            var shapeProto = new TensorShapeProto();
            foreach (var dim in shape)
            {
                var dimProto = new TensorShapeProto.Types.Dimension();
                if (dim.Value is long value) dimProto.DimValue = value;
                else if (dim.Symbol is string symbol) dimProto.DimParam = symbol;
                shapeProto.Dim.Add(dimProto);
            }
            tensorType.Shape = shapeProto;
        }
        proto.Type = new TypeProto { TensorType = tensorType };
        return proto;
    }

    /// <summary>A tensor as raw little-endian data of the ONNX type its tag stands for.</summary>
    internal static TensorProto EncodeTensor(Tensor tensor, string name)
    {
        var proto = new TensorProto { Name = name };
        foreach (int d in tensor.Shape) proto.Dims.Add(d);
        ReadOnlySpan<float> values = tensor.Data;
        byte[] raw;
        switch (tensor.DataType)
        {
            case TensorDataType.Int64:
                proto.DataType = (int)OnnxElementType.Int64;
                raw = new byte[values.Length * 8];
                for (int i = 0; i < values.Length; i++)
                    System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), Tensor.ToLong(values[i]));
                break;
            case TensorDataType.Bool:
                proto.DataType = (int)OnnxElementType.Bool;
                raw = new byte[values.Length];
                for (int i = 0; i < values.Length; i++) raw[i] = values[i] != 0 ? (byte)1 : (byte)0;
                break;
            default:
                proto.DataType = (int)OnnxElementType.Float;
                raw = new byte[values.Length * 4];
                if (BitConverter.IsLittleEndian)
                    System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(raw);
                else
                    for (int i = 0; i < values.Length; i++)
                        System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
                break;
        }
        // The array is not touched again, so the protobuf may keep it without another copy.
        proto.RawData = UnsafeByteOperations.UnsafeWrap(raw);
        return proto;
    }

}
