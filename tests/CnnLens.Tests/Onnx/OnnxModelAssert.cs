using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Tests.Onnx;

/// <summary>Field-by-field equality of two models (tensors compared bit for bit, including tags).</summary>
internal static class OnnxModelAssert
{
    public static void Equal(OnnxModel expected, OnnxModel actual)
    {
        Assert.Equal(expected.IrVersion, actual.IrVersion);
        Assert.Equal(expected.ProducerName, actual.ProducerName);
        Assert.Equal(expected.ProducerVersion, actual.ProducerVersion);
        Assert.Equal(expected.Opsets, actual.Opsets);
        Assert.Equal(expected.Metadata, actual.Metadata);

        var g1 = expected.Graph;
        var g2 = actual.Graph;
        Assert.Equal(g1.Name, g2.Name);
        Assert.Equal(g1.Initializers.Keys.Order(), g2.Initializers.Keys.Order());
        foreach (var (name, tensor) in g1.Initializers) TensorEqual(tensor, g2.Initializers[name], name);

        Assert.Equal(g1.Nodes.Count, g2.Nodes.Count);
        for (int i = 0; i < g1.Nodes.Count; i++) NodeEqual(g1.Nodes[i], g2.Nodes[i]);
        ValueInfosEqual(g1.Inputs, g2.Inputs);
        ValueInfosEqual(g1.Outputs, g2.Outputs);
        ValueInfosEqual(g1.ValueInfo, g2.ValueInfo);
    }

    public static void TensorEqual(Tensor expected, Tensor actual, string label)
    {
        Assert.True(expected.SameShape(actual), $"{label}: shape {actual} vs {expected}");
        Assert.Equal(expected.DataType, actual.DataType);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected.Data[i].Equals(actual.Data[i]), $"{label}[{i}] = {actual.Data[i]}, expected {expected.Data[i]}");
    }

    private static void NodeEqual(OnnxNode expected, OnnxNode actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.OpType, actual.OpType);
        Assert.Equal(expected.Domain, actual.Domain);
        Assert.Equal(expected.Inputs, actual.Inputs);
        Assert.Equal(expected.Outputs, actual.Outputs);
        Assert.Equal(expected.Attributes.Names.Order(), actual.Attributes.Names.Order());
        foreach (string name in expected.Attributes.Names)
        {
            object a = expected.Attributes.GetRaw(name)!;
            object b = actual.Attributes.GetRaw(name)!;
            Assert.Equal(a.GetType(), b.GetType());
            if (a is Tensor ta) TensorEqual(ta, (Tensor)b, $"{expected}.{name}");
            else Assert.Equal(a, b);
        }
    }

    private static void ValueInfosEqual(List<OnnxValueInfo> expected, List<OnnxValueInfo> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Name, actual[i].Name);
            Assert.Equal(expected[i].ElementType, actual[i].ElementType);
            if (expected[i].Shape is null) Assert.Null(actual[i].Shape);
            else Assert.Equal(expected[i].Shape!, actual[i].Shape!);
        }
    }
}
