using System.IO.MemoryMappedFiles;
using CnnLens.Onnx.Protobuf;
using CnnLens.Tensors;
using Google.Protobuf;

namespace CnnLens.Onnx;

/// <summary>
/// Reads an ONNX model file (protobuf) into an <see cref="OnnxModel"/>: graph, nodes with typed
/// attributes, initializers (raw, typed or external data, converted to float32 tensors), declared
/// inputs/outputs/value_info with symbolic dimensions, opsets and metadata.
/// Every problem with the file is a one-line <see cref="ModelLoadException"/> naming the file.
/// </summary>
public static class OnnxModelReader
{
    /// <summary>Loads a model file; external data is resolved relative to the file's folder.</summary>
    public static OnnxModel Load(string path)
    {
        if (Directory.Exists(path))
            throw new ModelLoadException($"cannot load model '{path}': it is a folder, not an .onnx file; pass the model file itself");
        if (!File.Exists(path))
            throw new ModelLoadException($"cannot load model '{path}': the file does not exist; check the path");

        using var context = new OnnxLoadContext(path, Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            long length = stream.Length;
            if (length == 0) throw context.Error("the file is empty; re-export or re-download the model");
            if (length > int.MaxValue)
                throw context.Error("the file is over 2 GB, more than a protobuf may hold; export the weights as ONNX external data");
            // Map the file rather than read it: weights are copied once, from the page cache into tensors.
            using var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            using var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            return LoadMapped(view, (int)length, context);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw context.Error($"the file cannot be read ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    /// <summary>
    /// Loads a model from a stream. <paramref name="baseDirectory"/> is where external data files
    /// live (null if the model has none); <paramref name="sourceName"/> names the model in messages.
    /// </summary>
    public static OnnxModel Load(Stream stream, string? baseDirectory = null, string sourceName = "<stream>")
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Load(copy.GetBuffer().AsSpan(0, (int)copy.Length), baseDirectory, sourceName);
    }

    /// <summary>Loads a model held in memory; see <see cref="Load(Stream, string?, string)"/>.</summary>
    public static OnnxModel Load(byte[] bytes, string? baseDirectory = null, string sourceName = "<bytes>") =>
        Load(bytes.AsSpan(), baseDirectory, sourceName);

    private static OnnxModel Load(ReadOnlySpan<byte> bytes, string? baseDirectory, string sourceName)
    {
        using var context = new OnnxLoadContext(sourceName, baseDirectory);
        if (bytes.IsEmpty) throw context.Error("the data is empty; re-export or re-download the model");
        return Load(bytes, context);
    }

    private static unsafe OnnxModel LoadMapped(MemoryMappedViewAccessor view, int length, OnnxLoadContext context)
    {
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            return Load(new ReadOnlySpan<byte>(pointer + view.PointerOffset, length), context);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private static OnnxModel Load(ReadOnlySpan<byte> bytes, OnnxLoadContext context)
    {
        ModelProto proto;
        List<OnnxWeightPayloads.Payload> payloads;
        try
        {
            if (OnnxWeightPayloads.TryStrip(bytes, out byte[] stripped, out payloads))
            {
                proto = ModelProto.Parser.ParseFrom(stripped);
            }
            else
            {
                payloads = [];
                proto = ModelProto.Parser.ParseFrom(bytes);
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw context.Error("the file is truncated or is not an ONNX protobuf; re-export or re-download the model", e);
        }
        return Convert(proto, bytes, payloads, context);
    }

    private static OnnxModel Convert(ModelProto proto, ReadOnlySpan<byte> bytes, List<OnnxWeightPayloads.Payload> payloads, OnnxLoadContext context)
    {
        if (proto.Graph is null)
            throw context.Error("it holds no graph, so it is not an ONNX model (or it is truncated); re-export the model");

        var opsets = new Dictionary<string, int>();
        foreach (var opset in proto.OpsetImport)
        {
            if (opset.Version is < 0 or > int.MaxValue)
                throw context.Error($"opset import for domain '{opset.Domain}' has version {opset.Version}; re-export the model");
            opsets[opset.Domain] = (int)opset.Version;
        }

        var metadata = new Dictionary<string, string>();
        foreach (var entry in proto.MetadataProps) metadata[entry.Key] = entry.Value;

        return new OnnxModel
        {
            Graph = ConvertGraph(proto.Graph, bytes, payloads, context),
            Opsets = opsets,
            IrVersion = proto.IrVersion,
            ProducerName = proto.ProducerName,
            ProducerVersion = proto.ProducerVersion,
            Metadata = metadata,
        };
    }

    private static OnnxGraph ConvertGraph(GraphProto proto, ReadOnlySpan<byte> bytes, List<OnnxWeightPayloads.Payload> payloads, OnnxLoadContext context)
    {
        var graph = new OnnxGraph { Name = proto.Name };

        // Where the splitter took an initializer's raw_data out of the protobuf, by initializer index.
        var detached = new Dictionary<int, OnnxWeightPayloads.Payload>();
        foreach (var payload in payloads) detached[payload.InitializerIndex] = payload;

        for (int i = 0; i < proto.Initializer.Count; i++)
        {
            var initializer = proto.Initializer[i];
            var raw = detached.TryGetValue(i, out var p) ? bytes.Slice(p.Offset, p.Length) : default;
            AddInitializer(graph, initializer.Name, OnnxTensorDecoder.Decode(initializer, $"initializer '{initializer.Name}'", context, raw), context);
            // Let the protobuf copy of the weights be collected while the rest is converted.
            initializer.RawData = ByteString.Empty;
        }
        foreach (var sparse in proto.SparseInitializer)
        {
            string name = sparse.Values?.Name ?? "";
            AddInitializer(graph, name, OnnxSparseTensorDecoder.Decode(sparse, $"sparse initializer '{name}'", context), context);
        }

        foreach (var node in proto.Node) graph.Nodes.Add(ConvertNode(node, context));
        foreach (var input in proto.Input) graph.Inputs.Add(ConvertValueInfo(input));
        foreach (var output in proto.Output) graph.Outputs.Add(ConvertValueInfo(output));
        foreach (var info in proto.ValueInfo) graph.ValueInfo.Add(ConvertValueInfo(info));
        return graph;
    }

    private static void AddInitializer(OnnxGraph graph, string name, Tensor tensor, OnnxLoadContext context)
    {
        if (name.Length == 0)
            throw context.Error("an initializer has no name; re-export the model");
        if (!graph.Initializers.TryAdd(name, tensor))
            throw context.Error($"two initializers are named '{name}'; re-export the model");
    }

    private static OnnxNode ConvertNode(NodeProto proto, OnnxLoadContext context)
    {
        var node = new OnnxNode
        {
            Name = proto.Name,
            OpType = proto.OpType,
            Domain = proto.Domain,
            Inputs = proto.Input.ToArray(),
            Outputs = proto.Output.ToArray(),
        };
        if (node.OpType.Length == 0)
            throw context.Error($"node '{node.Name}' has no op_type; re-export the model");
        foreach (var attribute in proto.Attribute)
            node.Attributes.Set(attribute.Name, OnnxAttributeDecoder.Decode(attribute, node, context));
        return node;
    }

    private static OnnxValueInfo ConvertValueInfo(ValueInfoProto proto)
    {
        var tensorType = proto.Type?.TensorType;
        if (tensorType is null) return new OnnxValueInfo { Name = proto.Name, ElementType = OnnxElementType.Undefined };

        OnnxDimension[]? shape = null;
        if (tensorType.Shape is { } shapeProto)
        {
            shape = new OnnxDimension[shapeProto.Dim.Count];
            for (int i = 0; i < shape.Length; i++)
            {
                var dim = shapeProto.Dim[i];
                shape[i] = dim.ValueCase switch
                {
                    TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => new OnnxDimension(dim.DimValue, null),
                    TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => new OnnxDimension(null, dim.DimParam),
                    _ => new OnnxDimension(null, null),
                };
            }
        }
        return new OnnxValueInfo { Name = proto.Name, ElementType = (OnnxElementType)tensorType.ElemType, Shape = shape };
    }
}
