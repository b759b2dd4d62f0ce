namespace CnnLens.Reports;

/// <summary>One chapter of a <see cref="StoryReport"/>, shown in this order: paragraphs, tables, gallery, explained images.</summary>
public sealed record StoryChapter
{
    public required string Heading { get; init; }

    public IReadOnlyList<string> Paragraphs { get; init; } = [];

    public IReadOnlyList<StoryTable> Tables { get; init; } = [];

    public IReadOnlyList<StoryFigure> Gallery { get; init; } = [];

    /// <summary>Images with their predictions and method panels, rendered as in the explain report.</summary>
    public IReadOnlyList<ImageSection> Explanations { get; init; } = [];
}
