using System.Diagnostics;

namespace CnnLens.Tests.Cli;

public class ProgressBarTests
{
    [Fact]
    public void RendersTheFractionCountsAndARemainingTimeFromTheRateSoFar()
    {
        // 243 of 729 in 6 s: 486 left at 40.5/s is 12 s.
        Assert.Equal("occlusion [#########-------------------]  33% 243/729 ETA 0:12",
            CnnLens.Cli.ProgressBar.Render("occlusion", 243, 729, 6));
        Assert.Equal("rise [############################] 100% 4000/4000 1:05:00",
            CnnLens.Cli.ProgressBar.Render("rise", 4000, 4000, 3900));
        Assert.Equal("lime [----------------------------]   0% 0/1000",
            CnnLens.Cli.ProgressBar.Render("lime", 0, 1000, 0.5));
    }

    [Fact]
    public void RedrawsAtMostTenTimesASecondButAlwaysShowsTheEnd()
    {
        long now = 0;
        var text = new StringWriter();
        using (var bar = new CnnLens.Cli.ProgressBar(text, () => now))
        {
            for (int done = 1; done <= 100; done++)
            {
                now += Stopwatch.Frequency / 100; // 100 reports over one second
                bar.Report("m", done, 100);
            }
        }
        string output = text.ToString();
        int draws = output.Count(c => c == '\r');
        Assert.InRange(draws, 10, 11);
        Assert.EndsWith(Environment.NewLine, output);
        Assert.EndsWith("100/100 0:01", output.TrimEnd());
    }
}
