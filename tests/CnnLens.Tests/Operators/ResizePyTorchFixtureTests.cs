using System.Text.Json;
using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using static CnnLens.Tests.Operators.OperatorTestKit;

namespace CnnLens.Tests.Operators;

/// <summary>
/// Resize forward and backward against PyTorch's F.interpolate (bilinear with and without
/// align_corners, nearest, nearest-exact), values made by tools/make_operator_fixtures.py.
/// </summary>
public class ResizePyTorchFixtureTests
{
    private static readonly JsonDocument Fixture =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "operators", "resize.json")));

    public static IEnumerable<object[]> Cases =>
        Fixture.RootElement.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchInterpolate(string name)
    {
        var root = Fixture.RootElement;
        var c = root.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var x = new Tensor(root.GetProperty("input_shape").EnumerateArray().Select(v => v.GetInt32()).ToArray(), Floats(root.GetProperty("input")));
        var attributes = c.GetProperty("attributes").EnumerateObject().Select(p => (p.Name, (object)p.Value.GetString()!)).ToArray();
        var op = Create<ResizeOperator>(13, attributes);
        var sizes = c.GetProperty("sizes").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        Tensor?[] inputs = [x, null, null, Longs(sizes)];
        var outputs = op.Forward(inputs);
        AssertTensor(sizes.Select(v => (int)v).ToArray(), Floats(c.GetProperty("output")), outputs[0], 1e-5f);
        var weights = new Tensor(outputs[0].ShapeArray, Floats(c.GetProperty("weights")));
        var dx = op.Backward(inputs, outputs, [weights])[0]!;
        AssertValues(Floats(c.GetProperty("input_gradient")), dx, 1e-5f);
    }
}
