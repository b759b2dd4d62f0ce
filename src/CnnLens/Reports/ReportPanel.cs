using CnnLens.Imaging.Rendering;

namespace CnnLens.Reports;

/// <summary>What one attribution method found for one image: its metadata and its rendered figures.</summary>
public sealed record ReportPanel
{
    /// <summary>Contract name of the method ("integrated-gradients", "grad-cam", ...).</summary>
    public required string Method { get; init; }

    public required int TargetIndex { get; init; }

    /// <summary>Name of the explained class, or null when the model has no class names.</summary>
    public string? TargetName { get; init; }

    /// <summary>The layer channel or neuron explained instead of a class ("channel 3 of conv1"), else null.</summary>
    public string? Neuron { get; init; }

    /// <summary>The layer a CAM method looked at, else null.</summary>
    public string? Layer { get; init; }

    /// <summary>True for input-space methods, whose attribution keeps its sign; false for CAMs (non-negative after the ReLU).</summary>
    public required bool IsSigned { get; init; }

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    public TimeSpan Elapsed { get; init; }

    /// <summary>Completeness error for this image where the method has one.</summary>
    public double? ConvergenceDelta { get; init; }

    /// <summary>Weighted R² of the method's linear surrogate for this image (lime, kernel-shap), else null.</summary>
    public double? SurrogateRSquared { get; init; }

    /// <summary>The view of the main heatmap and overlay.</summary>
    public required HeatmapView View { get; init; }

    /// <summary>The attribution value that maps to the end of the colour scale (robust maximum of the view).</summary>
    public required float Scale { get; init; }

    /// <summary>Heatmap, overlay and, for signed attributions shown in another view, the signed heatmap.</summary>
    public required IReadOnlyList<ReportFigure> Figures { get; init; }
}
