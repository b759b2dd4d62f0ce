namespace CnnLens.Tests.Support;

/// <summary>Where the checkout, its committed fixtures, and the ../shared data folder are.</summary>
public static class RepositoryPaths
{
    /// <summary>The checkout root: the first folder above the test binaries holding CnnLens.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Committed fixtures (copied beside the test binaries by the test project).</summary>
    public static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    /// <summary>
    /// The shared data folder: $CNNLENS_SHARED, or ../shared beside the checkout. Throws with a
    /// clear message when absent, so a shared-data test fails loudly instead of passing vacuously.
    /// </summary>
    public static string Shared(params string[] parts)
    {
        string root = Environment.GetEnvironmentVariable("CNNLENS_SHARED") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(Root, "..", "shared"));
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"shared data folder '{root}' not found: these tests need ../shared (models, images, data) beside the checkout, or CNNLENS_SHARED");
        return Path.Combine([root, .. parts]);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CnnLens.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("cannot find the checkout root (CnnLens.slnx) above the test binaries");
    }
}
