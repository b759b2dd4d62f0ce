using System.Diagnostics;
using System.Text.RegularExpressions;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Reports;

/// <summary>
/// Opens an explain report in a real headless Chromium: the page must load offline, show every panel,
/// and its screenshot must show coloured heatmaps. Needs /usr/bin/chromium (Debian package "chromium";
/// override with $CNNLENS_CHROMIUM); fails loudly when it is missing rather than passing without a browser.
/// </summary>
public class BrowserReportTests
{
    private static readonly string[] Methods = ["saliency", "integrated-gradients", "grad-cam", "guided-backprop"];
    private const int WindowWidth = 1200, WindowHeight = 2000;

    private static string Chromium()
    {
        string path = Environment.GetEnvironmentVariable("CNNLENS_CHROMIUM") is { Length: > 0 } env ? env : "/usr/bin/chromium";
        if (!File.Exists(path))
            Assert.Fail($"Chromium not found at '{path}': this test opens the HTML report in a real browser. Install it with 'apt-get install -y chromium chromium-driver' or set CNNLENS_CHROMIUM.");
        return path;
    }

    [Fact]
    public void Report_loads_in_chromium_with_every_panel_and_visible_heatmaps()
    {
        string chromium = Chromium();
        using var dir = new TempDirectory();
        string report = dir.File("report.html");
        var run = CliRunner.Run("explain", "--model", RepositoryPaths.Fixture("engine", "resnet18.onnx"),
            "--input", RepositoryPaths.Fixture("engine", "resnet18_input_b1.npy"), "--method", string.Join(",", Methods), "--steps", "8", "--report", report);
        Assert.True(run.ExitCode == 0, run.Error);

        string dom = RunChromium(chromium, dir, "--dump-dom", "file://" + report);
        var panels = Regex.Matches(dom, "<article class=\"panel\" data-method=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(Methods, panels);
        Assert.Equal(1 + 2 * Methods.Length, Regex.Matches(dom, "<img class=\"figure").Count);

        string shot = dir.File("shot.png");
        RunChromium(chromium, dir, $"--screenshot={shot}", "file://" + report);
        var screenshot = PngDecoder.Decode(File.ReadAllBytes(shot));
        Assert.Equal((WindowWidth, WindowHeight), (screenshot.Width, screenshot.Height));
        // The page itself is white/gray text; saturated colours only come from heatmaps, overlays and colour bars.
        // The panel grid has two columns at this width: both must show colour (one 224x224 jet CAM alone is ~50k pixels).
        int left = SaturatedPixels(screenshot, 0, WindowWidth / 2), right = SaturatedPixels(screenshot, WindowWidth / 2, WindowWidth);
        Assert.True(left > 20_000, $"left panel column shows only {left} saturated pixels; heatmaps did not render");
        Assert.True(right > 5_000, $"right panel column shows only {right} saturated pixels; heatmaps did not render");
    }

    /// <summary>Pixels whose channels differ by at least 100 (clearly coloured, not gray or white).</summary>
    private static int SaturatedPixels(Image image, int x0, int x1)
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

    /// <summary>Runs headless Chromium offline with a throw-away profile and returns what it printed.</summary>
    private static string RunChromium(string chromium, TempDirectory dir, params string[] arguments)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--user-data-dir={dir.File("profile")}", $"--window-size={WindowWidth},{WindowHeight}", .. arguments])
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
