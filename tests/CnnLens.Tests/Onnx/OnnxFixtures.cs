using System.Text.Json;
using CnnLens.Tensors;

namespace CnnLens.Tests.Onnx;

/// <summary>
/// The ONNX and .npy fixtures written by tools/make_onnx_reader_fixtures.py, and the values that
/// script recorded in expected.json from the numpy arrays it stored.
/// </summary>
internal static class OnnxFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "onnx");

    public static string PathOf(string name) => Path.Combine(Folder, name);

    private static readonly Lazy<JsonDocument> Expected =
        new(() => JsonDocument.Parse(File.ReadAllText(PathOf("expected.json"))));

    public static JsonElement Model(string name) => Expected.Value.RootElement.GetProperty("models").GetProperty(name);

    public static JsonElement Npy(string name) => Expected.Value.RootElement.GetProperty("npy").GetProperty(name);

    public static IEnumerable<string> NpyNames =>
        Expected.Value.RootElement.GetProperty("npy").EnumerateObject().Select(p => p.Name);

    /// <summary>Asserts shape, tag and every value of a tensor against a {dims|shape, tag, values} record.</summary>
    public static void AssertTensor(JsonElement expected, Tensor actual, string label)
    {
        var dims = (expected.TryGetProperty("dims", out var d) ? d : expected.GetProperty("shape"))
            .EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.True(dims.SequenceEqual(actual.ShapeArray), $"{label}: shape {Tensor.ShapeString(actual.Shape)}, expected {Tensor.ShapeString(dims)}");
        Assert.Equal(Enum.Parse<TensorDataType>(expected.GetProperty("tag").GetString()!), actual.DataType);
        var values = expected.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        Assert.Equal(values.Length, actual.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.True(values[i].Equals(actual.Data[i]), $"{label}[{i}] = {actual.Data[i]}, expected {values[i]}");
    }

}
