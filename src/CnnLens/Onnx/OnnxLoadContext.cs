using Microsoft.Win32.SafeHandles;

namespace CnnLens.Onnx;

/// <summary>
/// What one model load needs besides the protobuf: the name to put in error messages, the folder
/// external data is resolved against, and the external data files opened so far (each opened once).
/// </summary>
internal sealed class OnnxLoadContext(string sourceName, string? baseDirectory) : IDisposable
{
    private readonly Dictionary<string, SafeFileHandle> _externalFiles = new(StringComparer.Ordinal);

    /// <summary>The model file (or the caller's name for a stream), quoted in every message.</summary>
    public string SourceName { get; } = sourceName;

    /// <summary>Folder that external data locations are relative to; null when loading from memory without one.</summary>
    public string? BaseDirectory { get; } = baseDirectory is null ? null : Path.GetFullPath(baseDirectory);

    public ModelLoadException Error(string problem, Exception? inner = null) =>
        new($"cannot load model '{SourceName}': {problem}", inner);

    /// <summary>Opens (once per load) the external data file a tensor names, refusing locations outside the model's folder.</summary>
    public SafeFileHandle OpenExternalFile(string location, string what)
    {
        if (_externalFiles.TryGetValue(location, out var cached)) return cached;
        if (BaseDirectory is null)
            throw Error($"{what} keeps its data in external file '{location}', but the model was read from memory without a folder; load it from its file path");
        if (location.Length == 0 || Path.IsPathRooted(location))
            throw Error($"{what} has external data location '{location}', which must be a path relative to the model's folder; re-export the model");

        string fullPath = Path.GetFullPath(Path.Combine(BaseDirectory, location));
        string folder = Path.EndsInDirectorySeparator(BaseDirectory) ? BaseDirectory : BaseDirectory + Path.DirectorySeparatorChar;
        if (!fullPath.StartsWith(folder, StringComparison.Ordinal))
            throw Error($"{what} has external data location '{location}', which points outside the model's folder; refusing to read it");
        if (!File.Exists(fullPath))
            throw Error($"external data file '{location}' for {what} is missing; copy it next to the model file");

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error($"external data file '{location}' for {what} cannot be opened ({e.GetType().Name})", e);
        }
        _externalFiles[location] = handle;
        return handle;
    }

    public void Dispose()
    {
        foreach (var handle in _externalFiles.Values) handle.Dispose();
        _externalFiles.Clear();
    }
}
