using System.Text.Json;
using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Tests.Support;

/// <summary>
/// The reduced-width torchvision models exported by tools/make_engine_fixtures.py, with the
/// PyTorch logits and input gradients the script recorded (Fixtures/engine/manifest.json).
/// </summary>
public static class EngineFixtures
{
    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(System.IO.File.ReadAllText(RepositoryPaths.Fixture("engine", "manifest.json"))).RootElement);

    private static readonly Dictionary<string, Model> Models = new();

    public static IEnumerable<object[]> Names =>
        Manifest.Value.GetProperty("models").EnumerateArray().Select(m => new object[] { m.GetProperty("name").GetString()! });

    /// <summary>A model instance of its own, for tests that count its executor runs (the shared one also counts other tests' runs).</summary>
    public static Model LoadFresh(string name) => Model.Load(RepositoryPaths.Fixture("engine", File(name, "onnx")));

    public static Model Load(string name)
    {
        lock (Models)
        {
            if (!Models.TryGetValue(name, out var model))
                Models[name] = model = Model.Load(RepositoryPaths.Fixture("engine", File(name, "onnx")));
            return model;
        }
    }

    public static Tensor Read(string name, string kind) => NpyFile.Read(RepositoryPaths.Fixture("engine", File(name, kind)));

    public static int Target(string name) => Entry(name).GetProperty("target").GetInt32();

    private static string File(string name, string kind) => Entry(name).GetProperty("files").GetProperty(kind).GetString()!;

    private static JsonElement Entry(string name) =>
        Manifest.Value.GetProperty("models").EnumerateArray().First(m => m.GetProperty("name").GetString() == name);
}
