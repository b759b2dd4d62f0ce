using CnnLens.Onnx;
using CnnLens.Onnx.Protobuf;
using Google.Protobuf;

namespace CnnLens.Tests.Onnx;

/// <summary>Every file problem a user can cause is one ModelLoadException line naming the file.</summary>
public class OnnxModelReaderErrorTests : ScratchFolderTest
{
    private static ModelLoadException LoadFails(string path, string expectedFragment)
    {
        var e = Assert.Throws<ModelLoadException>(() => OnnxModelReader.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expectedFragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    /// <summary>A one-Identity model whose single initializer is shaped by <paramref name="edit"/>.</summary>
    private static string WriteModel(string folder, Action<TensorProto> edit, string name = "model.onnx")
    {
        var tensor = new TensorProto { Name = "w", DataType = (int)OnnxElementType.Float, Dims = { 2, 2 } };
        edit(tensor);
        var model = new ModelProto
        {
            IrVersion = 8,
            OpsetImport = { new OperatorSetIdProto { Version = 13 } },
            Graph = new GraphProto
            {
                Name = "g",
                Node = { new NodeProto { OpType = "Identity", Input = { "w" }, Output = { "y" } } },
                Initializer = { tensor },
                Output = { new ValueInfoProto { Name = "y" } },
            },
        };
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static void External(TensorProto t, string location, long offset, long? length)
    {
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString() });
        if (length is long l) t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = l.ToString() });
    }

    [Fact]
    public void Missing_file() => LoadFails(Path.Combine(TempFolder(), "absent.onnx"), "does not exist");

    [Fact]
    public void Directory_instead_of_file() => LoadFails(TempFolder(), "is a folder");

    [Fact]
    public void Empty_file()
    {
        string path = Path.Combine(TempFolder(), "empty.onnx");
        File.WriteAllBytes(path, []);
        LoadFails(path, "empty");
    }

    [Fact]
    public void Random_bytes_are_not_onnx()
    {
        string path = Path.Combine(TempFolder(), "noise.onnx");
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        Assert.Throws<ModelLoadException>(() => OnnxModelReader.Load(path));
    }

    [Fact]
    public void Text_file_is_not_onnx()
    {
        string path = Path.Combine(TempFolder(), "notes.onnx");
        File.WriteAllText(path, "this is not a model, just some notes about one\n");
        var e = Assert.Throws<ModelLoadException>(() => OnnxModelReader.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Protobuf_without_graph_is_not_onnx()
    {
        string path = Path.Combine(TempFolder(), "nograph.onnx");
        File.WriteAllBytes(path, new ModelProto { IrVersion = 8, ProducerName = "x" }.ToByteArray());
        LoadFails(path, "no graph");
    }

    [Fact]
    public void Truncated_file()
    {
        var bytes = File.ReadAllBytes(OnnxFixtures.PathOf("all_kinds.onnx"));
        string path = Path.Combine(TempFolder(), "cut.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        LoadFails(path, "truncated");
    }

    [Fact]
    public void Raw_data_length_not_matching_dims()
    {
        string path = WriteModel(TempFolder(), t => t.RawData = ByteString.CopyFrom(new byte[12]));
        var e = LoadFails(path, "'w'");
        Assert.Contains("12 bytes", e.Message);
        Assert.Contains("needs 16", e.Message);
    }

    [Fact]
    public void Typed_data_count_not_matching_dims()
    {
        string path = WriteModel(TempFolder(), t => t.FloatData.Add([1f, 2f, 3f, 4f, 5f]));
        LoadFails(path, "5 values");
    }

    [Fact]
    public void Tensor_with_more_than_two_to_the_31_values()
    {
        string path = WriteModel(TempFolder(), t => { t.Dims.Clear(); t.Dims.Add([65536, 65536]); });
        LoadFails(path, "2^31");
    }

    [Fact]
    public void String_tensors_are_refused()
    {
        string path = WriteModel(TempFolder(), t => { t.DataType = (int)OnnxElementType.String; t.StringData.Add(ByteString.CopyFromUtf8("a")); });
        LoadFails(path, "String");
    }

    [Fact]
    public void External_data_file_missing()
    {
        string path = WriteModel(TempFolder(), t => External(t, "weights.bin", 0, 16));
        LoadFails(path, "'weights.bin'");
    }

    [Fact]
    public void External_data_file_too_short()
    {
        string folder = TempFolder();
        File.WriteAllBytes(Path.Combine(folder, "weights.bin"), new byte[20]);
        string path = WriteModel(folder, t => External(t, "weights.bin", 8, 16));
        LoadFails(path, "too short");
    }

    [Fact]
    public void External_data_at_an_offset_is_read()
    {
        string folder = TempFolder();
        var bytes = new byte[24];
        float[] values = [1.5f, -2f, 3.25f, 1e-3f];
        Buffer.BlockCopy(values, 0, bytes, 8, 16);
        File.WriteAllBytes(Path.Combine(folder, "weights.bin"), bytes);
        string path = WriteModel(folder, t => External(t, "weights.bin", 8, null));
        Assert.Equal(values, OnnxModelReader.Load(path).Graph.Initializers["w"].Data);
    }

    [Fact]
    public void External_data_outside_the_model_folder_is_refused()
    {
        string outer = TempFolder();
        File.WriteAllBytes(Path.Combine(outer, "secret.bin"), new byte[16]);
        string inner = Path.Combine(outer, "model");
        Directory.CreateDirectory(inner);
        string path = WriteModel(inner, t => External(t, "../secret.bin", 0, 16));
        LoadFails(path, "outside the model's folder");
    }

    [Fact]
    public void External_data_with_absolute_path_is_refused()
    {
        string folder = TempFolder();
        string absolute = Path.Combine(folder, "weights.bin");
        File.WriteAllBytes(absolute, new byte[16]);
        string path = WriteModel(folder, t => External(t, absolute, 0, 16));
        LoadFails(path, "relative");
    }

    [Fact]
    public void External_data_from_bytes_without_folder_is_refused()
    {
        var bytes = File.ReadAllBytes(OnnxFixtures.PathOf("external_data.onnx"));
        var e = Assert.Throws<ModelLoadException>(() => OnnxModelReader.Load(bytes, null, "in-memory.onnx"));
        Assert.Contains("in-memory.onnx", e.Message);
        Assert.Contains("external_data.bin", e.Message);
    }

    [Fact]
    public void Sub_graph_attribute_names_the_node()
    {
        string path = OnnxFixtures.PathOf("control_flow.onnx");
        var e = LoadFails(path, "branch0");
        Assert.Contains("control flow", e.Message);
    }
}
