using System.Text.Json;
using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Tests.Support;

/// <summary>
/// Reference attributions computed in PyTorch from the published definitions by
/// tools/make_attribution_fixtures.py (Fixtures/attribution/manifest.json) for lenet, resnet18, mobilenet_v2.
/// </summary>
public static class AttributionFixtures
{
    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Fixture("attribution", "manifest.json"))).RootElement);

    public static IEnumerable<object[]> ModelNames =>
        Manifest.Value.GetProperty("models").EnumerateArray().Select(m => new object[] { m.GetProperty("name").GetString()! });

    public static JsonElement Entry(string model) =>
        Manifest.Value.GetProperty("models").EnumerateArray().First(m => m.GetProperty("name").GetString() == model);

    public static Model Model(string model) => EngineFixtures.Load(model);

    public static Tensor InputB1(string model) => EngineFixtures.Read(model, "input_b1");

    /// <summary>The first two images of the batch-4 engine fixture.</summary>
    public static Tensor InputB2(string model) => Batch.Slice(EngineFixtures.Read(model, "input_b4"), 0, 2);

    public static int[] Ints(string model, string key) => Entry(model).GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static string Text(string model, string key) => Entry(model).GetProperty(key).GetString()!;

    public static Tensor Expected(string model, string method) =>
        NpyFile.Read(RepositoryPaths.Fixture("attribution", Entry(model).GetProperty("methods").GetProperty(method).GetProperty("file").GetString()!));

    public static double ConvergenceDelta(string model, int steps) =>
        Entry(model).GetProperty("integrated_gradients_convergence_delta_gausslegendre").GetProperty(steps.ToString()).GetProperty("float64").GetDouble();
}
