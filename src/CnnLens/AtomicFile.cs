namespace CnnLens;

/// <summary>
/// Writes a file completely or not at all: the content goes to a temporary file in the same folder,
/// which is then renamed over the target. A failure (or an exception from the writer) deletes the
/// temporary file, so users never find a half-written output.
/// </summary>
public static class AtomicFile
{
    /// <param name="path">The file to create or replace.</param>
    /// <param name="what">What the file is, for error messages ("model", "PNG", ...).</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    public static void Write(string path, string what, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
            throw new DataFormatException($"cannot write {what} '{path}': folder '{folder}' does not exist; create it first");
        if (Directory.Exists(fullPath))
            throw new DataFormatException($"cannot write {what} '{path}': it is a folder; give a file name");
        // Same folder as the target, so the rename stays on one file system and is atomic.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
                write(stream);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new DataFormatException($"cannot write {what} '{path}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static void WriteAllBytes(string path, string what, byte[] bytes) => Write(path, what, stream => stream.Write(bytes));

    /// <summary>
    /// Throws <see cref="InvalidOptionException"/> when <paramref name="path"/> cannot be written as a
    /// file (missing folder, or a folder itself), so commands can check before any work starts.
    /// </summary>
    /// <param name="what">How the message names the output, e.g. the option "--report".</param>
    public static void CheckFolder(string path, string what = "output")
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new InvalidOptionException($"{what}: folder '{folder}' does not exist; create it first or choose another path");
        if (Directory.Exists(path))
            throw new InvalidOptionException($"{what}: '{path}' is a folder; give a file name");
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
