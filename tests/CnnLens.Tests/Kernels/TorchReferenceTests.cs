using System.Text.Json;
using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Tests.Kernels;

/// <summary>
/// Operators built through the registry from ONNX attributes, compared with outputs PyTorch 1.13
/// computed (tools/generate_kernel_fixtures.py, committed as Fixtures/kernels/torch_reference.json).
/// </summary>
public class TorchReferenceTests
{
    private static readonly JsonElement[] Cases = Load();

    public static IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.GetProperty("name").GetString()! });

    private static JsonElement[] Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "kernels", "torch_reference.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    private static Tensor ReadTensor(JsonElement element)
    {
        var shape = element.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var data = element.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        return new Tensor(shape, data);
    }

    private static OnnxAttributes ReadAttributes(JsonElement element)
    {
        var attributes = new OnnxAttributes();
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            object parsed = value.ValueKind switch
            {
                JsonValueKind.Array => value.EnumerateArray().Select(v => v.GetInt64()).ToArray(),
                JsonValueKind.String => value.GetString()!,
                _ when value.TryGetInt64(out long integer) => integer,
                _ => value.GetSingle(),
            };
            attributes.Set(property.Name, parsed);
        }
        return attributes;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OperatorMatchesPyTorch(string name)
    {
        var testCase = Cases.Single(c => c.GetProperty("name").GetString() == name);
        var node = new OnnxNode
        {
            Name = name,
            OpType = testCase.GetProperty("op").GetString()!,
            Attributes = ReadAttributes(testCase.GetProperty("attributes")),
        };
        var op = OperatorRegistry.Create(node, 19);
        var inputs = testCase.GetProperty("inputs").EnumerateArray().Select(ReadTensor).ToArray<Tensor?>();
        var expected = ReadTensor(testCase.GetProperty("output"));
        var actual = op.Forward(inputs)[0];
        Assert.Equal(expected.ShapeArray, actual.ShapeArray);
        TestTensors.AssertClose(expected.Data.Select(v => (double)v).ToArray(), actual.Data, 2e-5);
    }
}
