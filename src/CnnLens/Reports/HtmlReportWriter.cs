using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Imaging.Rendering;

namespace CnnLens.Reports;

/// <summary>
/// Writes an <see cref="ExplainReport"/> (or a <see cref="StoryReport"/>) as ONE self-contained HTML page: images embedded as
/// data:image/png;base64, inline CSS, no scripts and no external references, so the file can be
/// mailed or archived and still opens offline.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>CSS class of every method panel (tests and browsers count them).</summary>
    public const string PanelClass = "panel";

    /// <summary>Width at which figures are shown; small inputs (e.g. 64x64) are scaled up without smoothing.</summary>
    public const int FigureDisplayWidth = 224;

    /// <summary>Writes the page to <paramref name="path"/> atomically (the file appears complete or not at all).</summary>
    public static void Write(ExplainReport report, string path) => WritePage(Render(report), path);

    /// <summary>Writes a story report to <paramref name="path"/> atomically.</summary>
    public static void Write(StoryReport report, string path) => WritePage(Render(report), path);

    private static void WritePage(string html, string path)
    {
        AtomicFile.Write(path, "HTML report", stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(html);
        });
    }

    /// <summary>The whole page as a string.</summary>
    public static string Render(ExplainReport report)
    {
        var images = EncodeAll(report.Images.SelectMany(ImagesOf));
        var html = new StringBuilder(1 << 20);
        AppendHead(html, $"CnnLens explanation: {report.ModelName}");
        html.Append("<header>\n<h1>CnnLens explanation</h1>\n<table class=\"meta\">\n");
        Row(html, "model", report.ModelName);
        Row(html, "preprocessing", report.Preprocessing);
        Row(html, "images", report.Images.Count.ToString(CultureInfo.InvariantCulture));
        Row(html, "methods", string.Join(", ", report.Images.Count > 0 ? report.Images[0].Panels.Select(p => p.Method) : []));
        Row(html, "created", report.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        html.Append("</table>\n</header>\n");

        for (int n = 0; n < report.Images.Count; n++)
            AppendSection(html, report.Images[n], n, images);
        html.Append("<footer>Red marks evidence for the target class, blue evidence against it (signed views); ")
            .Append("colour scales end at the 99.5th percentile of |attribution| (values beyond are clipped).</footer>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The story page: title and lead, then each chapter's paragraphs, tables, gallery and explained images.</summary>
    public static string Render(StoryReport report)
    {
        var images = EncodeAll(report.Chapters.SelectMany(c => c.Gallery.Select(f => f.Image).Concat(c.Explanations.SelectMany(ImagesOf))));
        var html = new StringBuilder(1 << 20);
        AppendHead(html, report.Title);
        html.Append("<header>\n<h1>").Append(Encode(report.Title)).Append("</h1>\n");
        if (report.Lead is not null) html.Append("<p>").Append(Encode(report.Lead)).Append("</p>\n");
        html.Append("<p class=\"created\">created ").Append(report.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)).Append("</p>\n</header>\n");
        int number = 0;
        foreach (var chapter in report.Chapters)
        {
            html.Append("<section class=\"chapter\">\n<h2>").Append(Encode(chapter.Heading)).Append("</h2>\n");
            foreach (var paragraph in chapter.Paragraphs) html.Append("<p>").Append(Encode(paragraph)).Append("</p>\n");
            foreach (var table in chapter.Tables) AppendTable(html, table);
            if (chapter.Gallery.Count > 0)
            {
                html.Append("<div class=\"gallery\">\n");
                foreach (var figure in chapter.Gallery)
                {
                    html.Append("<figure style=\"width:").Append(figure.DisplayWidth).Append("px\">");
                    AppendImage(html, images[figure.Image], figure.Image, figure.Caption, figure.DisplayWidth);
                    html.Append("<figcaption>").Append(Encode(figure.Caption)).Append("</figcaption></figure>\n");
                }
                html.Append("</div>\n");
            }
            foreach (var section in chapter.Explanations) AppendSection(html, section, number++, images);
            html.Append("</section>\n");
        }
        html.Append("<footer>Red marks evidence for the target class, blue evidence against it (signed views).</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendHead(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n");

    private static void AppendTable(StringBuilder html, StoryTable table)
    {
        html.Append("<table class=\"story\">\n<caption>").Append(Encode(table.Caption)).Append("</caption>\n<tr>");
        foreach (var cell in table.Header) html.Append("<th>").Append(Encode(cell)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td>").Append(Encode(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void AppendSection(StringBuilder html, ImageSection section, int number, Dictionary<Image, string> images)
    {
        html.Append("<section class=\"image\">\n<h2>Image ").Append(number + 1).Append(": ").Append(Encode(section.Source)).Append("</h2>\n");
        html.Append("<div class=\"summary\">\n<figure class=\"input\">");
        AppendImage(html, images[section.Input], section.Input, "input as the model saw it");
        html.Append("<figcaption>input as the model saw it (").Append(section.Input.Width).Append('x').Append(section.Input.Height).Append(")</figcaption></figure>\n");
        // Models without class names get no empty name column.
        bool named = section.Predictions.Any(p => p.Name is not null);
        html.Append("<table class=\"predictions\">\n<caption>top predictions</caption>\n<tr><th>#</th><th>class</th>").Append(named ? "<th>name</th>" : "")
            .Append("<th>probability</th><th>logit</th></tr>\n");
        for (int k = 0; k < section.Predictions.Count; k++)
        {
            var p = section.Predictions[k];
            html.Append("<tr><td>").Append(k + 1).Append("</td><td>").Append(p.Index).Append("</td>");
            if (named) html.Append("<td>").Append(Encode(p.Name ?? "–")).Append("</td>");
            html.Append("<td class=\"num\">").Append(Encode(p.Probability.ToString("P2", CultureInfo.InvariantCulture)))
                .Append("<span class=\"bar\" style=\"width:").Append(Math.Round(p.Probability * 100, 1).ToString(CultureInfo.InvariantCulture)).Append("%\"></span>")
                .Append("</td><td class=\"num\">").Append(p.Logit.ToString("F3", CultureInfo.InvariantCulture)).Append("</td></tr>\n");
        }
        // Panels with a third (signed) figure need room for three figures side by side.
        bool wide = section.Panels.Any(p => p.Figures.Count > 2);
        html.Append("</table>\n</div>\n<div class=\"panels").Append(wide ? " wide" : "").Append("\">\n");
        foreach (var panel in section.Panels)
            AppendPanel(html, panel, images);
        html.Append("</div>\n</section>\n");
    }

    private static void AppendPanel(StringBuilder html, ReportPanel panel, Dictionary<Image, string> images)
    {
        html.Append("<article class=\"").Append(PanelClass).Append("\" data-method=\"").Append(Encode(panel.Method)).Append("\">\n<h3>").Append(Encode(panel.Method)).Append("</h3>\n")
            .Append("<p class=\"target\">")
            .Append(panel.Neuron is { } neuron ? "target " + Encode(neuron) : "target class " + panel.TargetIndex + (panel.TargetName is null ? "" : " · " + Encode(panel.TargetName)))
            .Append("</p>\n<div class=\"figures\">\n");
        foreach (var figure in panel.Figures)
        {
            html.Append("<figure>");
            AppendImage(html, images[figure.Image], figure.Image, $"{panel.Method} {figure.Caption}");
            if (figure.ColorBar is { } bar) AppendColorBar(html, bar, images[bar.Image]);
            else html.Append("<div class=\"nobar\"></div>"); // keeps captions level with the figures that have a bar
            html.Append("<figcaption>").Append(Encode(figure.Caption)).Append(" · ").Append(Encode(figure.Colormap)).Append("</figcaption></figure>\n");
        }
        html.Append("</div>\n<table class=\"options\">\n");
        // The method's own "layer" option only says whether the layer was chosen; show it next to the layer used.
        string? layerChoice = panel.Options.TryGetValue("layer", out var chosen) && chosen != panel.Layer ? chosen : null;
        if (panel.Layer is not null) Row(html, "layer", layerChoice is null ? panel.Layer : $"{panel.Layer} {layerChoice}");
        Row(html, "view", ReportFormat.View(panel.View));
        if (panel.Figures[0].ColorBar is { } scale)
            Row(html, "colour scale", $"{ReportFormat.Number(scale.Minimum)} … {ReportFormat.Number(scale.Maximum)} (clipped beyond)");
        foreach (var (key, value) in panel.Options)
            if (!(key == "layer" && panel.Layer is not null)) Row(html, key, value);
        Row(html, "run time", ReportFormat.Milliseconds(panel.Elapsed));
        if (panel.ConvergenceDelta is { } delta) Row(html, "convergence delta", ReportFormat.Number(delta));
        if (panel.SurrogateRSquared is { } fit) Row(html, "surrogate R² (weighted)", ReportFormat.Number(fit));
        html.Append("</table>\n</article>\n");
    }

    private static void AppendImage(StringBuilder html, string base64, Image image, string alt, int width = FigureDisplayWidth)
    {
        // Small inputs are scaled up by the browser; "pixelated" keeps the model's pixels honest.
        string rendering = image.Width < width ? " pixelated" : "";
        html.Append("<img class=\"figure").Append(rendering).Append("\" width=\"").Append(width).Append("\" height=\"")
            .Append((int)Math.Round((double)image.Height * width / image.Width)).Append("\" alt=\"").Append(Encode(alt))
            .Append("\" src=\"data:image/png;base64,").Append(base64).Append("\">");
    }

    private static void AppendColorBar(StringBuilder html, ColorBar bar, string base64)
    {
        html.Append("<div class=\"colorbar\"><img alt=\"colour bar\" src=\"data:image/png;base64,").Append(base64).Append("\"><div class=\"ticks\">");
        int last = bar.Image.Width - 1;
        foreach (var tick in bar.Ticks)
        {
            double percent = Math.Round(100.0 * tick.Position / last, 2);
            // End labels align inwards so they never spill past the figure.
            string align = tick.Position == 0 ? "start" : tick.Position == last ? "end" : "mid";
            html.Append("<span class=\"").Append(align).Append("\" style=\"left:").Append(percent.ToString(CultureInfo.InvariantCulture)).Append("%\">")
                .Append(Encode(ReportFormat.Number(tick.Value))).Append("</span>");
        }
        html.Append("</div></div>");
    }

    private static void Row(StringBuilder html, string key, string value) =>
        html.Append("<tr><th>").Append(Encode(key)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>\n");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>PNG-encodes every distinct image of the report once, in parallel (encoding dominates the render time).</summary>
    private static Dictionary<Image, string> EncodeAll(IEnumerable<Image> all)
    {
        var distinct = new List<Image>();
        var seen = new HashSet<Image>(ReferenceEqualityComparer.Instance);
        foreach (var image in all)
            if (seen.Add(image)) distinct.Add(image);
        var encoded = new string[distinct.Count];
        Parallel.For(0, distinct.Count, i => encoded[i] = Convert.ToBase64String(PngEncoder.Encode(distinct[i], CompressionLevel.Fastest)));
        var result = new Dictionary<Image, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < distinct.Count; i++) result[distinct[i]] = encoded[i];
        return result;
    }

    private static IEnumerable<Image> ImagesOf(ImageSection section)
    {
        yield return section.Input;
        foreach (var panel in section.Panels)
            foreach (var figure in panel.Figures)
            {
                yield return figure.Image;
                if (figure.ColorBar is { } bar) yield return bar.Image;
            }
    }

    private const string Css = """
        :root { --ink: #1d2330; --muted: #5b6472; --line: #d9dde3; --card: #ffffff; --page: #f3f4f6; --accent: #2f5fd0; }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 24px 32px; background: var(--page); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        h1 { margin: 0 0 8px; font-size: 22px; }
        h2 { margin: 0 0 12px; font-size: 17px; word-break: break-all; }
        h3 { margin: 0; font-size: 15px; }
        header, section.image, section.chapter { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-bottom: 20px; }
        table { border-collapse: collapse; }
        th, td { text-align: left; vertical-align: top; padding: 2px 10px 2px 0; }
        th { color: var(--muted); font-weight: 600; white-space: nowrap; }
        table.meta td { word-break: break-word; }
        .summary { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; margin-bottom: 16px; }
        table.predictions { min-width: 360px; }
        table.predictions caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
        table.predictions td, table.predictions th { border-bottom: 1px solid var(--line); padding: 3px 12px 3px 0; }
        td.num { font-variant-numeric: tabular-nums; white-space: nowrap; position: relative; }
        td.num .bar { display: block; height: 3px; background: var(--accent); margin-top: 2px; }
        .panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 500px), 1fr)); gap: 16px; }
        .panels.wide { grid-template-columns: repeat(auto-fill, minmax(min(100%, 722px), 1fr)); }
        .panel { border: 1px solid var(--line); border-radius: 6px; padding: 12px; background: #fbfbfc; }
        .panel .target { margin: 2px 0 10px; color: var(--muted); }
        .figures { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 10px; align-items: flex-start; }
        figure { margin: 0; width: 224px; }
        figcaption { color: var(--muted); font-size: 12px; text-align: center; margin-top: 2px; }
        img.figure { display: block; width: 224px; height: auto; border: 1px solid var(--line); background: #fff; }
        img.pixelated { image-rendering: pixelated; }
        .colorbar { margin-top: 4px; }
        .nobar { height: 32px; }
        .colorbar img { display: block; width: 100%; height: 10px; border: 1px solid var(--line); }
        .ticks { position: relative; height: 16px; font-size: 11px; color: var(--muted); font-variant-numeric: tabular-nums; }
        .ticks span { position: absolute; top: 1px; white-space: nowrap; }
        .ticks span.mid { transform: translateX(-50%); }
        .ticks span.end { transform: translateX(-100%); }
        table.options { font-size: 12px; }
        table.options td { word-break: break-word; }
        footer { color: var(--muted); font-size: 12px; }
        section.chapter > p { max-width: 860px; }
        section.chapter section.image { border: none; padding: 8px 0; margin: 0; border-top: 1px solid var(--line); border-radius: 0; }
        .gallery { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 16px; }
        .gallery img.figure { width: 100%; }
        table.story { margin: 8px 0 16px; }
        table.story caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
        table.story td, table.story th { border-bottom: 1px solid var(--line); padding: 3px 14px 3px 0; }
        p.created { color: var(--muted); font-size: 12px; margin: 0; }
        """;
}
