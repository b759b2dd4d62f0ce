using System.Text.RegularExpressions;
using CnnLens.Cli.Demo;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Cli.Demo;

/// <summary>
/// <c>cnnlens demo --quick</c> from the models embedded in the tool, checked in headless Chromium, and the
/// story it tells checked on the numbers: the biased model needs the mark, the clean one does not.
/// </summary>
public class DemoEndToEndTests
{
    [Fact]
    public void Demo_writes_a_report_that_loads_in_chromium_with_every_chapter_and_visible_heatmaps()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run("demo", "--out", dir.Path, "--quick");
        Assert.True(run.ExitCode == 0, run.Error);
        foreach (string file in (string[])["report.html", "digits.png", "clever-hans-biased.png", "clever-hans-clean.png"])
            Assert.True(File.Exists(dir.File(file)), $"the demo did not write {file}");
        Assert.Contains("biased model:", run.Output);

        var chromium = new HeadlessChromium(dir, 1200, 3000);
        string dom = chromium.DumpDom(dir.File("report.html"));
        var chapters = Regex.Matches(dom, "<section class=\"chapter\">\\s*<h2>([^<]+)</h2>").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(3, chapters.Length);
        Assert.StartsWith("1.", chapters[0]);
        Assert.StartsWith("2.", chapters[1]);
        Assert.StartsWith("3.", chapters[2]);
        // 10 digit pictures (5 digits, with and without the stroke) and 3 pictures for each Clever Hans model.
        Assert.Equal(10 + 2 * 3, Regex.Matches(dom, "<section class=\"image\">").Count);
        // No number on the page is NaN (embedded images are base64 and left out of the check).
        Assert.DoesNotContain("NaN", Regex.Replace(dom, "data:[^\"]+", ""));

        var screenshot = chromium.Screenshot(dir.File("report.html"));
        int coloured = HeadlessChromium.SaturatedPixels(screenshot, 0, screenshot.Width);
        Assert.True(coloured > 10_000, $"the demo page shows only {coloured} saturated pixels; its heatmaps did not render");
    }

    [Fact]
    public void The_biased_model_fails_without_the_mark_and_looks_at_it_while_the_clean_model_does_not()
    {
        var biased = DemoAssets.LoadModel(DemoAssets.BiasedModel);
        var clean = DemoAssets.LoadModel(DemoAssets.CleanModel);
        var input = DemoInput.For(biased);
        var (_, findings, _, _) = CleverHansChapter.Build(biased, clean, input, () => [], testCount: 200);
        var b = findings.Single(f => f.Model == "biased");
        var c = findings.Single(f => f.Model == "clean");
        // Half the mark-free test images are rings: a model that needs the mark calls them crosses.
        Assert.True(c.CleanAccuracy > 0.95, $"clean model accuracy {c.CleanAccuracy:P1}");
        Assert.True(b.CleanAccuracy < c.CleanAccuracy - 0.2, $"biased {b.CleanAccuracy:P1} vs clean {c.CleanAccuracy:P1} on mark-free images");
        Assert.True(b.MarkShare > 3 * c.MarkShare, $"mark share biased {b.MarkShare:P1} vs clean {c.MarkShare:P1}");
    }
}
