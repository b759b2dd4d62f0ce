using System.Diagnostics;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;

namespace CnnLens.Tests.Support;

/// <summary>
/// Opens HTML pages in a real headless Chromium, offline, with a throw-away profile. Needs /usr/bin/chromium
/// (Debian package "chromium"; override with $CNNLENS_CHROMIUM) and fails loudly when it is missing
/// rather than passing without a browser.
/// </summary>
public sealed class HeadlessChromium(TempDirectory profileDir, int windowWidth = 1200, int windowHeight = 2000)
{
    private readonly string _path = Find();

    public int WindowWidth => windowWidth;

    public int WindowHeight => windowHeight;

    private static string Find()
    {
        string path = Environment.GetEnvironmentVariable("CNNLENS_CHROMIUM") is { Length: > 0 } env ? env : "/usr/bin/chromium";
        if (!File.Exists(path))
            Assert.Fail($"Chromium not found at '{path}': this test opens HTML in a real browser. Install it with 'apt-get install -y chromium chromium-driver' or set CNNLENS_CHROMIUM.");
        return path;
    }

    /// <summary>The page's DOM after it loaded (scripts run, images decoded).</summary>
    public string DumpDom(string htmlFile) => Run("--dump-dom", "file://" + htmlFile);

    /// <summary>A window-sized screenshot of the page.</summary>
    public Image Screenshot(string htmlFile)
    {
        string shot = profileDir.File($"shot-{Guid.NewGuid():N}.png");
        Run($"--screenshot={shot}", "file://" + htmlFile);
        return PngDecoder.Decode(File.ReadAllBytes(shot));
    }

    /// <summary>Pixels in columns [x0, x1) whose channels differ by at least 100 (clearly coloured, not gray or white).</summary>
    public static int SaturatedPixels(Image image, int x0, int x1)
    {
        int count = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = x0; x < x1; x++)
            {
                int r = image[x, y, 0], g = image[x, y, 1], b = image[x, y, 2];
                if (Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) >= 100) count++;
            }
        return count;
    }

    private string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(_path)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--user-data-dir={profileDir.File("profile")}", $"--window-size={windowWidth},{windowHeight}", .. arguments])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("Chromium did not finish within 90 s");
        }
        Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
