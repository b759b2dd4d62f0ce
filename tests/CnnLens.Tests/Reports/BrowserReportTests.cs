using System.Text.RegularExpressions;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Reports;

/// <summary>
/// Opens an explain report in a real headless Chromium: the page must load offline, show every panel,
/// and its screenshot must show coloured heatmaps (see <see cref="HeadlessChromium"/> for what it needs).
/// </summary>
public class BrowserReportTests
{
    private static readonly string[] Methods = ["saliency", "integrated-gradients", "grad-cam", "guided-backprop"];
    private const int WindowWidth = 1200, WindowHeight = 2000;

    [Fact]
    public void Report_loads_in_chromium_with_every_panel_and_visible_heatmaps()
    {
        using var dir = new TempDirectory();
        var chromium = new HeadlessChromium(dir, WindowWidth, WindowHeight);
        string report = dir.File("report.html");
        var run = CliRunner.Run("explain", "--model", RepositoryPaths.Fixture("engine", "resnet18.onnx"),
            "--input", RepositoryPaths.Fixture("engine", "resnet18_input_b1.npy"), "--method", string.Join(",", Methods), "--steps", "8", "--report", report);
        Assert.True(run.ExitCode == 0, run.Error);

        string dom = chromium.DumpDom(report);
        var panels = Regex.Matches(dom, "<article class=\"panel\" data-method=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(Methods, panels);
        Assert.Equal(1 + 2 * Methods.Length, Regex.Matches(dom, "<img class=\"figure").Count);

        var screenshot = chromium.Screenshot(report);
        Assert.Equal((WindowWidth, WindowHeight), (screenshot.Width, screenshot.Height));
        // The page itself is white/gray text; saturated colours only come from heatmaps, overlays and colour bars.
        // The panel grid has two columns at this width: both must show colour (one 224x224 jet CAM alone is ~50k pixels).
        int left = HeadlessChromium.SaturatedPixels(screenshot, 0, WindowWidth / 2), right = HeadlessChromium.SaturatedPixels(screenshot, WindowWidth / 2, WindowWidth);
        Assert.True(left > 20_000, $"left panel column shows only {left} saturated pixels; heatmaps did not render");
        Assert.True(right > 5_000, $"right panel column shows only {right} saturated pixels; heatmaps did not render");
    }
}
