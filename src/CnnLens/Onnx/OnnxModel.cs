using CnnLens.Tensors;

namespace CnnLens.Onnx;

/// <summary>An ONNX model as read from a file: the graph plus the opsets it was written for.</summary>
public sealed class OnnxModel
{
    public required OnnxGraph Graph { get; init; }

    /// <summary>Operator set version per domain ("" is the default ai.onnx domain).</summary>
    public Dictionary<string, int> Opsets { get; init; } = new();

    public long IrVersion { get; init; } = 8;

    public string ProducerName { get; init; } = "";

    public string ProducerVersion { get; init; } = "";

    /// <summary>metadata_props: free key/value pairs (CnnLens stores class names and preprocessing here).</summary>
    public Dictionary<string, string> Metadata { get; init; } = new();

    /// <summary>The default-domain opset, which decides operator semantics.</summary>
    public int DefaultOpset => Opsets.TryGetValue("", out int v) ? v : Opsets.TryGetValue("ai.onnx", out v) ? v : 13;
}

/// <summary>The computation: nodes in file order, weights, and the graph's declared inputs and outputs.</summary>
public sealed class OnnxGraph
{
    public string Name { get; init; } = "";

    public List<OnnxNode> Nodes { get; init; } = new();

    /// <summary>Weights and other constants by tensor name.</summary>
    public Dictionary<string, Tensor> Initializers { get; init; } = new();

    /// <summary>Declared inputs, including (in old exports) ones that are also initializers.</summary>
    public List<OnnxValueInfo> Inputs { get; init; } = new();

    public List<OnnxValueInfo> Outputs { get; init; } = new();

    /// <summary>Shapes the exporter recorded for intermediate tensors (may be empty).</summary>
    public List<OnnxValueInfo> ValueInfo { get; init; } = new();
}

/// <summary>One node: an operator applied to named input tensors, producing named outputs.</summary>
public sealed class OnnxNode
{
    public string Name { get; init; } = "";

    public required string OpType { get; init; }

    public string Domain { get; init; } = "";

    /// <summary>Input tensor names; an empty string marks an omitted optional input.</summary>
    public string[] Inputs { get; init; } = [];

    public string[] Outputs { get; init; } = [];

    public OnnxAttributes Attributes { get; init; } = new();

    public override string ToString() => $"{OpType} '{Name}'";
}

/// <summary>A declared tensor: element type and shape, each dimension fixed or symbolic.</summary>
public sealed class OnnxValueInfo
{
    public required string Name { get; init; }

    public OnnxElementType ElementType { get; init; } = OnnxElementType.Float;

    /// <summary>Dimensions; null when the shape is not declared at all.</summary>
    public OnnxDimension[]? Shape { get; init; }
}

/// <summary>A dimension: a fixed size, or a symbolic name such as "batch_size" (Value null).</summary>
public readonly record struct OnnxDimension(long? Value, string? Symbol)
{
    public override string ToString() => Value?.ToString() ?? Symbol ?? "?";
}

/// <summary>ONNX TensorProto.DataType numbers.</summary>
public enum OnnxElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}
