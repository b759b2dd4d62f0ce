using CnnLens.Imaging;
using CnnLens.Reports;

namespace CnnLens.Tests.Reports;

public class StoryReportTests
{
    private static Image Square(byte value)
    {
        var image = new Image(4, 4, 3);
        Array.Fill(image.Pixels, value);
        return image;
    }

    [Fact]
    public void ChaptersAppearInOrderWithTheirTextTablesAndEmbeddedPictures()
    {
        var report = new StoryReport
        {
            Title = "Demo <story>",
            Lead = "why & how",
            Chapters =
            [
                new StoryChapter { Heading = "One", Paragraphs = ["first paragraph"], Gallery = [new StoryFigure("dark", Square(10), 96), new StoryFigure("light", Square(240))] },
                new StoryChapter { Heading = "Two", Tables = [new StoryTable("accuracy", ["model", "clean test"], [["biased", "51.0%"], ["clean", "97.5%"]])] },
            ],
        };
        string html = HtmlReportWriter.Render(report);
        Assert.Contains("<h1>Demo &lt;story&gt;</h1>", html);
        Assert.Contains("<p>why &amp; how</p>", html);
        Assert.True(html.IndexOf("<h2>One</h2>", StringComparison.Ordinal) < html.IndexOf("<h2>Two</h2>", StringComparison.Ordinal));
        Assert.Contains("<tr><td>biased</td><td>51.0%</td></tr>", html);
        var figures = ReportHtml.Figures(html);
        Assert.Equal(["dark", "light"], figures.Select(f => f.Alt));
        Assert.Equal(10, figures[0].Image.Pixels[0]);
        Assert.Equal(240, figures[1].Image.Pixels[^1]);
        Assert.Contains("width=\"96\"", html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", ""), StringComparison.Ordinal);
    }
}
