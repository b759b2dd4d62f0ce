using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Tests.Onnx;

public class OnnxModelWriterTests : ScratchFolderTest
{
    /// <summary>
    /// A small valid opset-13 classifier using every attribute kind, every tensor tag, symbolic
    /// dimensions and metadata. tools/check_onnx_writer_output.py rebuilds these values on its own
    /// and checks the written file with onnx's checker.
    /// </summary>
    internal static OnnxModel CheckerModel()
    {
        static float[] Pattern(int count, int period, float scale) =>
            Enumerable.Range(0, count).Select(i => (i % period - period / 2) * scale).ToArray();

        var graph = new OnnxGraph { Name = "writer_check" };
        graph.Initializers["conv.weight"] = new Tensor([2, 1, 3, 3], Pattern(18, 7, 0.125f));
        graph.Initializers["conv.bias"] = new Tensor([2], [0.5f, -0.25f]);
        graph.Initializers["fc.weight"] = new Tensor([3, 32], Pattern(96, 5, 0.0625f));
        graph.Initializers["fc.bias"] = new Tensor([3], [1f, 0f, -1f]);
        graph.Initializers["mask"] = new Tensor([3], [1f, 0f, 1f], TensorDataType.Bool);
        graph.Initializers["big_index"] = Tensor.FromLongs([2], [1L << 40, -7]);

        var conv = new OnnxNode { Name = "conv0", OpType = "Conv", Inputs = ["image", "conv.weight", "conv.bias"], Outputs = ["conv"] };
        conv.Attributes.Set("kernel_shape", new long[] { 3, 3 });
        conv.Attributes.Set("pads", new long[] { 1, 1, 1, 1 });
        conv.Attributes.Set("auto_pad", "NOTSET");
        var act = new OnnxNode { Name = "act0", OpType = "LeakyRelu", Inputs = ["conv"], Outputs = ["act"] };
        act.Attributes.Set("alpha", 0.1f);
        var shape = new OnnxNode { Name = "shape0", OpType = "Constant", Outputs = ["shape"] };
        shape.Attributes.Set("value", Tensor.FromLongs([2], [-1, 32]));
        var reshape = new OnnxNode { Name = "reshape0", OpType = "Reshape", Inputs = ["act", "shape"], Outputs = ["flat"] };
        var gemm = new OnnxNode { Name = "fc0", OpType = "Gemm", Inputs = ["flat", "fc.weight", "fc.bias"], Outputs = ["logits"] };
        gemm.Attributes.Set("transB", 1L);
        gemm.Attributes.Set("alpha", 1f);
        var floats = new OnnxNode { Name = "floats0", OpType = "Constant", Outputs = ["scales"] };
        floats.Attributes.Set("value_floats", new[] { 0.5f, 0.25f });
        var ints = new OnnxNode { Name = "ints0", OpType = "Constant", Outputs = ["axes"] };
        ints.Attributes.Set("value_ints", new long[] { 0, 2 });
        var strings = new OnnxNode { Name = "strings0", OpType = "Constant", Outputs = ["labels"] };
        strings.Attributes.Set("value_strings", new[] { "cat", "dog", "bird" });
        graph.Nodes.AddRange([conv, act, shape, reshape, gemm, floats, ints, strings]);

        graph.Inputs.Add(new OnnxValueInfo { Name = "image", Shape = [new(null, "batch"), new(1, null), new(4, null), new(4, null)] });
        graph.Outputs.Add(new OnnxValueInfo { Name = "logits", Shape = [new(null, "batch"), new(3, null)] });
        graph.Outputs.Add(new OnnxValueInfo { Name = "labels", ElementType = OnnxElementType.String, Shape = [new(3, null)] });
        graph.ValueInfo.Add(new OnnxValueInfo { Name = "conv", Shape = [new(null, "batch"), new(2, null), new(null, null), new(4, null)] });
        graph.ValueInfo.Add(new OnnxValueInfo { Name = "shape", ElementType = OnnxElementType.Int64, Shape = [new(2, null)] });

        return new OnnxModel
        {
            Graph = graph,
            IrVersion = 8,
            Opsets = new() { [""] = 13 },
            ProducerName = "CnnLens",
            ProducerVersion = "test",
            Metadata = new() { ["class_names"] = "cat,dog,bird", ["preprocessing"] = "none" },
        };
    }

    [Fact]
    public void Save_then_load_gives_the_same_model()
    {
        var model = CheckerModel();
        string path = Path.Combine(TempFolder(), "round.onnx");
        OnnxModelWriter.Save(model, path);
        OnnxModelAssert.Equal(model, OnnxModelReader.Load(path));
    }

    [Fact]
    public void Stream_and_file_saves_write_the_same_bytes()
    {
        var model = CheckerModel();
        string path = Path.Combine(TempFolder(), "m.onnx");
        OnnxModelWriter.Save(model, path);
        using var memory = new MemoryStream();
        OnnxModelWriter.Save(model, memory);
        Assert.Equal(File.ReadAllBytes(path), memory.ToArray());
    }

    [Theory]
    [InlineData("all_kinds.onnx")]
    [InlineData("old_style.onnx")]
    [InlineData("external_data.onnx")]
    public void Fixture_models_survive_a_save_and_load(string name)
    {
        var original = OnnxModelReader.Load(OnnxFixtures.PathOf(name));
        string path = Path.Combine(TempFolder(), name);
        OnnxModelWriter.Save(original, path);
        // External data is written inline, so the copy needs no side file.
        OnnxModelAssert.Equal(original, OnnxModelReader.Load(path));
    }

    [Fact]
    public void Failed_save_keeps_the_previous_file_and_leaves_no_temporary()
    {
        string folder = TempFolder();
        string path = Path.Combine(folder, "model.onnx");
        File.WriteAllText(path, "previous");
        var model = CheckerModel();
        model.Graph.Nodes[0].Attributes.Set("bad", new DateTime(2020, 1, 1));
        var e = Assert.Throws<CnnLensException>(() => OnnxModelWriter.Save(model, path));
        Assert.Contains("'bad'", e.Message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void Save_into_a_missing_folder_is_a_clear_error()
    {
        string path = Path.Combine(TempFolder(), "no", "such", "model.onnx");
        var e = Assert.ThrowsAny<CnnLensException>(() => OnnxModelWriter.Save(CheckerModel(), path));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Default_opset_is_written_when_the_model_names_none()
    {
        var model = new OnnxModel { Graph = CheckerModel().Graph, Opsets = new() };
        var loaded = OnnxModelReader.Load(OnnxModelWriter.ToBytes(model));
        Assert.Equal(13, loaded.Opsets[""]);
    }

    /// <summary>Writes the file tools/check_onnx_writer_output.py validates with onnx's checker.</summary>
    [Fact]
    public void Writes_the_model_for_the_onnx_checker_script()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "onnx-writer-check.onnx");
        OnnxModelWriter.Save(CheckerModel(), path);
        Assert.True(new FileInfo(path).Length > 500);
    }
}
