namespace CnnLens.Reports;

/// <summary>
/// Writes a file through a temporary sibling and a rename, so readers never see a partial file and a
/// failed run leaves no output behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>; the file appears only when writing succeeded.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        CheckFolder(full);
        // Same folder as the target, so the rename stays on one file system and is atomic.
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    /// <summary>
    /// Throws <see cref="InvalidOptionException"/> when <paramref name="path"/> cannot be written as a file
    /// (missing folder, or a folder itself), so callers can check before any work starts.
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
}
