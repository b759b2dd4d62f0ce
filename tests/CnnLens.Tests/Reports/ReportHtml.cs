using System.Text.RegularExpressions;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;

namespace CnnLens.Tests.Reports;

/// <summary>Reads back what an HTML report embeds, the way a browser would see it.</summary>
public static partial class ReportHtml
{
    [GeneratedRegex("<article class=\"panel\" data-method=\"([^\"]+)\">\\s*<h3>([^<]+)</h3>")]
    private static partial Regex PanelPattern();

    [GeneratedRegex("<img class=\"figure[^\"]*\" width=\"\\d+\" height=\"\\d+\" alt=\"([^\"]*)\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex FigurePattern();

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex AnyImagePattern();

    /// <summary>(data-method, h3 title) of every panel in document order.</summary>
    public static List<(string Method, string Title)> Panels(string html) =>
        PanelPattern().Matches(html).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();

    /// <summary>Every figure (input, heatmaps, overlays) with its alt text, decoded.</summary>
    public static List<(string Alt, Image Image)> Figures(string html) =>
        FigurePattern().Matches(html).Select(m => (m.Groups[1].Value, PngDecoder.Decode(Convert.FromBase64String(m.Groups[2].Value)))).ToList();

    /// <summary>Every embedded PNG (figures and colour bars), decoded.</summary>
    public static List<Image> AllImages(string html) =>
        AnyImagePattern().Matches(html).Select(m => PngDecoder.Decode(Convert.FromBase64String(m.Groups[1].Value))).ToList();
}
