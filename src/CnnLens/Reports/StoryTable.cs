namespace CnnLens.Reports;

/// <summary>A small table of text cells with a caption.</summary>
public sealed record StoryTable(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);
