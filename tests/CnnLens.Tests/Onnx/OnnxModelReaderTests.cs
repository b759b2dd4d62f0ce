using System.Text.Json;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Tests.Onnx;

/// <summary>Reads the fixture models and compares with the values the fixture script recorded.</summary>
public class OnnxModelReaderTests
{
    [Fact]
    public void Initializers_of_every_element_type_and_storage_match_the_script()
    {
        var model = OnnxModelReader.Load(OnnxFixtures.PathOf("all_kinds.onnx"));
        var expected = OnnxFixtures.Model("all_kinds.onnx").GetProperty("initializers");
        int count = 0;
        foreach (var entry in expected.EnumerateObject())
        {
            Assert.True(model.Graph.Initializers.ContainsKey(entry.Name), $"missing initializer {entry.Name}");
            OnnxFixtures.AssertTensor(entry.Value, model.Graph.Initializers[entry.Name], entry.Name);
            count++;
        }
        Assert.Equal(count, model.Graph.Initializers.Count);
        Assert.Equal(18, count);
    }

    [Fact]
    public void Hand_checked_values_of_converted_types()
    {
        var init = OnnxModelReader.Load(OnnxFixtures.PathOf("all_kinds.onnx")).Graph.Initializers;
        Assert.Equal([0.5f, -1.25f, 3f, 65504f, -0.0009765625f, 2f], init["w_half_raw"].Data);
        Assert.Equal([1f, -3f, 3.140625f], init["w_bfloat16_raw"].Data);
        Assert.Equal([1f, 0f, 1f], init["w_bool_typed"].Data);
        Assert.Equal(TensorDataType.Bool, init["w_bool_raw"].DataType);
        Assert.Equal([-128f, -1f, 127f], init["w_int8_raw"].Data);
        Assert.Equal([-9f, 8f, 1099511627776f, -1048576f], init["w_int64_typed"].Data);
        Assert.Equal((float)0.1, init["w_double_raw"].Data[0]);
        Assert.Equal(0, init["w_scalar"].Rank);
        Assert.Equal(4.5f, init["w_scalar"].Data[0]);
    }

    [Fact]
    public void Attributes_of_every_kind_are_typed()
    {
        var model = OnnxModelReader.Load(OnnxFixtures.PathOf("all_kinds.onnx"));
        var expected = OnnxFixtures.Model("all_kinds.onnx").GetProperty("attributes");
        var node = model.Graph.Nodes.Single(n => n.Name == expected.GetProperty("node").GetString());
        Assert.Equal("AllKinds", node.OpType);
        Assert.Equal("test.cnnlens", node.Domain);
        var a = node.Attributes;
        Assert.Equal((float)expected.GetProperty("a_float").GetDouble(), a.GetFloat("a_float", 0));
        Assert.IsType<float>(a.GetRaw("a_float"));
        Assert.Equal(expected.GetProperty("a_int").GetInt64(), a.GetInt("a_int", 0));
        Assert.IsType<long>(a.GetRaw("a_int"));
        Assert.IsType<long>(a.GetRaw("a_int_zero"));
        Assert.Equal(0L, a.GetInt("a_int_zero", 99));
        Assert.Equal(expected.GetProperty("a_string").GetString(), a.GetString("a_string", ""));
        Assert.Equal(expected.GetProperty("a_floats").EnumerateArray().Select(e => (float)e.GetDouble()), a.GetFloats("a_floats")!);
        Assert.Equal(expected.GetProperty("a_ints").EnumerateArray().Select(e => e.GetInt64()), a.GetInts("a_ints")!);
        Assert.Equal(expected.GetProperty("a_strings").EnumerateArray().Select(e => e.GetString()!), a.GetStrings("a_strings")!);
        OnnxFixtures.AssertTensor(expected.GetProperty("a_tensor"), a.GetTensor("a_tensor")!, "a_tensor");
    }

    [Fact]
    public void Constant_node_value_is_a_tensor_attribute()
    {
        var model = OnnxModelReader.Load(OnnxFixtures.PathOf("all_kinds.onnx"));
        var expected = OnnxFixtures.Model("all_kinds.onnx").GetProperty("constant");
        var node = model.Graph.Nodes.Single(n => n.Name == expected.GetProperty("node").GetString());
        Assert.Equal("Constant", node.OpType);
        Assert.Equal(["c0"], node.Outputs);
        OnnxFixtures.AssertTensor(expected, node.Attributes.GetTensor("value")!, "Constant value");
    }

    [Fact]
    public void Graph_structure_opsets_metadata_and_producer_match()
    {
        var model = OnnxModelReader.Load(OnnxFixtures.PathOf("all_kinds.onnx"));
        var expected = OnnxFixtures.Model("all_kinds.onnx");
        AssertStructure(expected, model);
        Assert.Equal("cnnlens-fixtures", model.ProducerName);
        Assert.Equal("1.0", model.ProducerVersion);
        Assert.Equal(13, model.DefaultOpset);
        Assert.Equal(2, model.Opsets["test.cnnlens"]);
        var metadata = expected.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(metadata, model.Metadata);
        Assert.Equal("all_kinds", model.Graph.Name);
    }

    [Fact]
    public void Symbolic_and_unknown_dimensions_are_kept()
    {
        var graph = OnnxModelReader.Load(OnnxFixtures.PathOf("all_kinds.onnx")).Graph;
        Assert.Equal([new OnnxDimension(null, "batch"), new OnnxDimension(2, null), new OnnxDimension(3, null)], graph.Inputs[0].Shape!);
        Assert.Equal([new OnnxDimension(null, "batch"), new OnnxDimension(null, null), new OnnxDimension(3, null)], graph.Outputs[0].Shape!);
        Assert.Equal("batch,?,3", string.Join(",", graph.Outputs[0].Shape!));
        Assert.Equal(["sum", "c0"], graph.ValueInfo.Select(v => v.Name));
    }

    [Fact]
    public void Old_style_initializers_listed_as_inputs_are_not_real_inputs()
    {
        var model = OnnxModelReader.Load(OnnxFixtures.PathOf("old_style.onnx"));
        var expected = OnnxFixtures.Model("old_style.onnx");
        AssertStructure(expected, model);
        Assert.Equal(3, model.IrVersion);
        Assert.Equal(7, model.DefaultOpset);
        Assert.Equal(["x", "W", "B"], model.Graph.Inputs.Select(i => i.Name));
        Assert.Equal(expected.GetProperty("real_inputs").EnumerateArray().Select(e => e.GetString()!), model.Graph.RealInputs.Select(i => i.Name));
        foreach (var entry in expected.GetProperty("initializers").EnumerateObject())
            OnnxFixtures.AssertTensor(entry.Value, model.Graph.Initializers[entry.Name], entry.Name);
    }

    [Fact]
    public void External_data_is_read_from_the_side_file_at_its_offsets()
    {
        var model = OnnxModelReader.Load(OnnxFixtures.PathOf("external_data.onnx"));
        var expected = OnnxFixtures.Model("external_data.onnx");
        // The fixture really is external: offsets beyond zero in one side file.
        Assert.Equal("108", expected.GetProperty("external").GetProperty("steps").GetProperty("offset").GetString());
        foreach (var entry in expected.GetProperty("initializers").EnumerateObject())
            OnnxFixtures.AssertTensor(entry.Value, model.Graph.Initializers[entry.Name], entry.Name);
        Assert.Equal(["x"], model.Graph.RealInputs.Select(i => i.Name));
        Assert.Equal("N", model.Graph.Inputs[0].Shape![0].Symbol);
    }

    [Fact]
    public void External_data_loads_from_a_stream_given_the_folder()
    {
        using var stream = File.OpenRead(OnnxFixtures.PathOf("external_data.onnx"));
        var model = OnnxModelReader.Load(stream, OnnxFixtures.Folder, "external_data.onnx");
        OnnxFixtures.AssertTensor(OnnxFixtures.Model("external_data.onnx").GetProperty("initializers").GetProperty("w1"), model.Graph.Initializers["w1"], "w1");
    }

    [Fact]
    public void Bytes_and_path_loads_agree()
    {
        var fromPath = OnnxModelReader.Load(OnnxFixtures.PathOf("all_kinds.onnx"));
        var fromBytes = OnnxModelReader.Load(File.ReadAllBytes(OnnxFixtures.PathOf("all_kinds.onnx")));
        OnnxModelAssert.Equal(fromPath, fromBytes);
    }

    private static void AssertStructure(JsonElement expected, OnnxModel model)
    {
        Assert.Equal(expected.GetProperty("ir_version").GetInt64(), model.IrVersion);
        var opsets = expected.GetProperty("opsets").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(opsets, model.Opsets);
        var nodes = expected.GetProperty("nodes").EnumerateArray().ToArray();
        Assert.Equal(nodes.Length, model.Graph.Nodes.Count);
        for (int i = 0; i < nodes.Length; i++)
        {
            Assert.Equal(nodes[i].GetProperty("op_type").GetString(), model.Graph.Nodes[i].OpType);
            Assert.Equal(nodes[i].GetProperty("name").GetString(), model.Graph.Nodes[i].Name);
            Assert.Equal(nodes[i].GetProperty("inputs").EnumerateArray().Select(e => e.GetString()!), model.Graph.Nodes[i].Inputs);
            Assert.Equal(nodes[i].GetProperty("outputs").EnumerateArray().Select(e => e.GetString()!), model.Graph.Nodes[i].Outputs);
        }
        AssertValueInfos(expected.GetProperty("inputs"), model.Graph.Inputs);
        AssertValueInfos(expected.GetProperty("outputs"), model.Graph.Outputs);
    }

    private static void AssertValueInfos(JsonElement expected, List<OnnxValueInfo> actual)
    {
        var items = expected.EnumerateArray().ToArray();
        Assert.Equal(items.Length, actual.Count);
        for (int i = 0; i < items.Length; i++)
        {
            Assert.Equal(items[i].GetProperty("name").GetString(), actual[i].Name);
            Assert.Equal((OnnxElementType)items[i].GetProperty("elem_type").GetInt32(), actual[i].ElementType);
            var dims = items[i].GetProperty("dims").EnumerateArray().Select(d => d.ValueKind switch
            {
                JsonValueKind.Number => new OnnxDimension(d.GetInt64(), null),
                JsonValueKind.String => new OnnxDimension(null, d.GetString()),
                _ => new OnnxDimension(null, null),
            });
            Assert.Equal(dims, actual[i].Shape!);
        }
    }
}
