namespace CnnLens.Reports;

/// <summary>
/// A report that tells a story in chapters (the demo's): text, tables, galleries of pictures and
/// explained images, written by <see cref="HtmlReportWriter"/> as one self-contained page.
/// </summary>
public sealed record StoryReport
{
    public required string Title { get; init; }

    /// <summary>An opening paragraph under the title.</summary>
    public string? Lead { get; init; }

    public required IReadOnlyList<StoryChapter> Chapters { get; init; }

    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;
}
