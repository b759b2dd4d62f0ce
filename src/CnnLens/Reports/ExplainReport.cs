namespace CnnLens.Reports;

/// <summary>Everything <c>cnnlens explain</c> shows people about one run: model, preprocessing and one section per image.</summary>
public sealed record ExplainReport
{
    public required string ModelName { get; init; }

    /// <summary><c>PreprocessingOptions.Describe()</c>, or a note that the input was an already preprocessed tensor.</summary>
    public required string Preprocessing { get; init; }

    public required IReadOnlyList<ImageSection> Images { get; init; }

    /// <summary>When the run happened (UTC), printed in the report header.</summary>
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;
}
