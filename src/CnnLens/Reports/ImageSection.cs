using CnnLens.Imaging;

namespace CnnLens.Reports;

/// <summary>The part of a report about one image of the batch.</summary>
public sealed record ImageSection
{
    /// <summary>Where the image came from (file path), for the section title.</summary>
    public required string Source { get; init; }

    /// <summary>The input as the model saw it: the prepared (converted, resized, cropped) image, or a rendering of the input tensor.</summary>
    public required Image Input { get; init; }

    public required IReadOnlyList<ClassPrediction> Predictions { get; init; }

    public required IReadOnlyList<ReportPanel> Panels { get; init; }
}
