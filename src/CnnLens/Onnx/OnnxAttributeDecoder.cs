using System.Text;
using CnnLens.Onnx.Protobuf;
using AttributeType = CnnLens.Onnx.Protobuf.AttributeProto.Types.AttributeType;

namespace CnnLens.Onnx;

/// <summary>
/// Converts one AttributeProto to the value <see cref="OnnxAttributes"/> holds: long, float, string,
/// long[], float[], string[] or Tensor. Sub-graphs (If/Loop/Scan) and other kinds are refused by name.
/// </summary>
internal static class OnnxAttributeDecoder
{
    public static object Decode(AttributeProto proto, OnnxNode node, OnnxLoadContext context)
    {
        if (proto.RefAttrName.Length > 0)
            throw context.Error($"attribute '{proto.Name}' of node {node} refers to a function attribute, which is only valid inside functions; re-export the model");

        var type = proto.Type != AttributeType.Undefined ? proto.Type : InferType(proto);
        switch (type)
        {
            case AttributeType.Float: return proto.F;
            case AttributeType.Int: return proto.I;
            case AttributeType.String: return proto.S.ToStringUtf8();
            case AttributeType.Floats: return proto.Floats.ToArray();
            case AttributeType.Ints: return proto.Ints.ToArray();
            case AttributeType.Strings: return proto.Strings.Select(s => s.ToStringUtf8()).ToArray();
            case AttributeType.Tensor:
                if (proto.T is null)
                    throw context.Error($"attribute '{proto.Name}' of node {node} is declared as a tensor but holds none; re-export the model");
                return OnnxTensorDecoder.Decode(proto.T, $"tensor attribute '{proto.Name}' of node {node}", context);
            case AttributeType.Graph:
            case AttributeType.Graphs:
                throw context.Error($"node {node} has sub-graph attribute '{proto.Name}'; control flow (If, Loop, Scan) is not supported, export the model without it");
            case AttributeType.Undefined:
                throw context.Error($"attribute '{proto.Name}' of node {node} holds no value; re-export the model");
            default:
                throw context.Error($"attribute '{proto.Name}' of node {node} is of kind {type}, which CnnLens does not support; re-export the model without it");
        }
    }

    /// <summary>IR version 1 files have no type field: tell the kind from which value is present.</summary>
    private static AttributeType InferType(AttributeProto proto)
    {
        if (proto.HasF) return AttributeType.Float;
        if (proto.HasI) return AttributeType.Int;
        if (proto.HasS) return AttributeType.String;
        if (proto.T is not null) return AttributeType.Tensor;
        if (proto.G is not null) return AttributeType.Graph;
        if (proto.Floats.Count > 0) return AttributeType.Floats;
        if (proto.Ints.Count > 0) return AttributeType.Ints;
        if (proto.Strings.Count > 0) return AttributeType.Strings;
        if (proto.Tensors.Count > 0) return AttributeType.Tensors;
        if (proto.Graphs.Count > 0) return AttributeType.Graphs;
        if (proto.SparseTensor is not null) return AttributeType.SparseTensor;
        return AttributeType.Undefined;
    }
}
