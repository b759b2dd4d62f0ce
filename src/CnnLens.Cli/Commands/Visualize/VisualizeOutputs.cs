using System.CommandLine;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Reports;

namespace CnnLens.Cli.Commands.Visualize;

/// <summary>The --png and --report options every visualize subcommand has, checked before any work and written atomically.</summary>
public sealed class VisualizeOutputs
{
    private readonly Option<string?> _png = new("--png") { Description = "write the grid as a PNG" };
    private readonly Option<string?> _report = new("--report") { Description = "write a self-contained HTML report of the same panels" };

    public void AddTo(Command command)
    {
        command.Add(_png);
        command.Add(_report);
    }

    /// <summary>The chosen paths, after checking their folders exist; at least one must be given.</summary>
    public (string? Png, string? Report) Check(ParseResult parse)
    {
        string? png = parse.GetValue(_png), report = parse.GetValue(_report);
        if (png is null && report is null) throw new InvalidOptionException("give --png OUT.png and/or --report OUT.html");
        if (png is not null) AtomicFile.CheckFolder(png, "--png");
        if (report is not null) AtomicFile.CheckFolder(report, "--report");
        return (png, report);
    }

    public static void WritePng(string path, Image image) => AtomicFile.WriteAllBytes(path, "PNG", PngEncoder.Encode(image));

    public static void WriteReport(string path, string title, string lead, IReadOnlyList<StoryChapter> chapters) =>
        HtmlReportWriter.Write(new StoryReport { Title = title, Lead = lead, Chapters = chapters }, path);

    /// <summary>"maps.png" for one output; "maps-1.png", "maps-2.png", ... for several.</summary>
    public static string Numbered(string path, int index, int count) =>
        count == 1 ? path : Path.Combine(Path.GetDirectoryName(path) ?? "", $"{Path.GetFileNameWithoutExtension(path)}-{index + 1}{Path.GetExtension(path)}");
}
