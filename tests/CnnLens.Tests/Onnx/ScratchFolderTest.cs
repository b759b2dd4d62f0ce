namespace CnnLens.Tests.Onnx;

/// <summary>Base for tests that write files: each test gets fresh folders, deleted after it runs.</summary>
public abstract class ScratchFolderTest : IDisposable
{
    private readonly List<string> _folders = new();

    protected string TempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "cnnlens-onnx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        _folders.Add(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (string folder in _folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover scratch folder in /tmp is harmless.
            }
        }
        GC.SuppressFinalize(this);
    }
}
