using System.Globalization;
using CnnLens.Imaging.Rendering;

namespace CnnLens.Reports;

/// <summary>How reports print numbers, times and views, so HTML and console say the same thing.</summary>
public static class ReportFormat
{
    /// <summary>Four significant digits, invariant culture ("0.01234", "1.235E+05").</summary>
    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    public static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) + " ms";

    /// <summary>The CLI spelling of a view (signed, positive, negative, absolute).</summary>
    public static string View(HeatmapView view) => view.ToString().ToLowerInvariant();
}
