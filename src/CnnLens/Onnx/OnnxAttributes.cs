using CnnLens.Tensors;

namespace CnnLens.Onnx;

/// <summary>
/// A node's attributes by name, typed: long, float, string, long[], float[], string[] or Tensor.
/// Getters take the default the ONNX specification gives when the attribute is absent.
/// </summary>
public sealed class OnnxAttributes
{
    private readonly Dictionary<string, object> _values = new();

    public IEnumerable<string> Names => _values.Keys;

    public bool Has(string name) => _values.ContainsKey(name);

    public void Set(string name, object value) => _values[name] = value;

    public object? GetRaw(string name) => _values.GetValueOrDefault(name);

    public long GetInt(string name, long defaultValue) =>
        _values.TryGetValue(name, out var v) ? v switch
        {
            long l => l,
            float f => (long)f,
            _ => throw Wrong(name, "an integer"),
        } : defaultValue;

    public float GetFloat(string name, float defaultValue) =>
        _values.TryGetValue(name, out var v) ? v switch
        {
            float f => f,
            long l => l,
            _ => throw Wrong(name, "a float"),
        } : defaultValue;

    public string GetString(string name, string defaultValue) =>
        _values.TryGetValue(name, out var v) ? v as string ?? throw Wrong(name, "a string") : defaultValue;

    public long[]? GetInts(string name) =>
        _values.TryGetValue(name, out var v) ? v switch
        {
            long[] a => a,
            long l => [l],
            _ => throw Wrong(name, "a list of integers"),
        } : null;

    public float[]? GetFloats(string name) =>
        _values.TryGetValue(name, out var v) ? v switch
        {
            float[] a => a,
            float f => [f],
            _ => throw Wrong(name, "a list of floats"),
        } : null;

    public string[]? GetStrings(string name) =>
        _values.TryGetValue(name, out var v) ? v as string[] ?? throw Wrong(name, "a list of strings") : null;

    public Tensor? GetTensor(string name) =>
        _values.TryGetValue(name, out var v) ? v as Tensor ?? throw Wrong(name, "a tensor") : null;

    private static ModelLoadException Wrong(string name, string expected) =>
        new($"attribute '{name}' should be {expected}; the model file is inconsistent, re-export it");
}
