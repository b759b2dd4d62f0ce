using CnnLens.Onnx;
using CnnLens.Onnx.Protobuf;
using CnnLens.Tensors;

namespace CnnLens.Tests.Onnx;

/// <summary>
/// large_weights.onnx has initializers over 4 KB, which the reader converts straight from the
/// file bytes instead of through the protobuf parser. Values follow the fixture script's formulas.
/// </summary>
public class OnnxLargeWeightsTests : ScratchFolderTest
{
    private static float F(int i) => (float)((i % 97) * 0.25 - 12);

    private static void AssertLargeWeights(OnnxModel model)
    {
        var init = model.Graph.Initializers;
        Assert.Equal([50, 60], init["big_float"].ShapeArray);
        Assert.Equal(Enumerable.Range(0, 3000).Select(F), init["big_float"].Data);
        // (i % 97) * 0.25 - 12 lies in [-12, 12] on a 0.25 grid: exact in float16 too.
        Assert.Equal(Enumerable.Range(0, 3000).Select(F), init["big_half"].Data);
        Assert.Equal(Enumerable.Range(0, 700).Select(F), init["big_double"].Data);
        Assert.Equal(Enumerable.Range(0, 600).Select(i => (float)(i % 13 - 6)), init["big_int64"].Data);
        Assert.Equal(TensorDataType.Int64, init["big_int64"].DataType);
        Assert.Equal([1.5f, -2.5f], init["small"].Data);
    }

    [Fact]
    public void Large_initializers_read_from_a_file() =>
        AssertLargeWeights(OnnxModelReader.Load(OnnxFixtures.PathOf("large_weights.onnx")));

    [Fact]
    public void Large_initializers_read_from_bytes_and_stream()
    {
        var bytes = File.ReadAllBytes(OnnxFixtures.PathOf("large_weights.onnx"));
        AssertLargeWeights(OnnxModelReader.Load(bytes));
        AssertLargeWeights(OnnxModelReader.Load(new MemoryStream(bytes)));
    }

    [Fact]
    public void Detached_payloads_are_exactly_the_raw_data_protobuf_parses()
    {
        var bytes = File.ReadAllBytes(OnnxFixtures.PathOf("large_weights.onnx"));
        Assert.True(OnnxWeightPayloads.TryStrip(bytes, out var stripped, out var payloads));
        var full = ModelProto.Parser.ParseFrom(bytes);
        Assert.Equal([0, 1, 2, 3], payloads.Select(p => p.InitializerIndex));
        foreach (var p in payloads)
            Assert.True(full.Graph.Initializer[p.InitializerIndex].RawData.Span.SequenceEqual(bytes.AsSpan(p.Offset, p.Length)));

        // Without the payloads the rest of the model is unchanged.
        var rest = ModelProto.Parser.ParseFrom(stripped);
        foreach (var p in payloads) full.Graph.Initializer[p.InitializerIndex].RawData = Google.Protobuf.ByteString.Empty;
        Assert.Equal(full, rest);
        Assert.True(stripped.Length < 1000);
    }

    [Fact]
    public void File_cut_inside_a_large_payload_is_reported_as_truncated()
    {
        var bytes = File.ReadAllBytes(OnnxFixtures.PathOf("large_weights.onnx"));
        string path = Path.Combine(TempFolder(), "cut.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<ModelLoadException>(() => OnnxModelReader.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }
}
