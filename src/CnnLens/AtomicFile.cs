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

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
