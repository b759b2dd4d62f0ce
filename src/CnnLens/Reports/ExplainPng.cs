using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Imaging.Rendering;

namespace CnnLens.Reports;

/// <summary>
/// The one-picture summary of <c>cnnlens explain --png</c>: a grid with one row per image and method,
/// each row showing input | heatmap | overlay at the input's size.
/// </summary>
public static class ExplainPng
{
    /// <summary>Pixels between cells and around the grid.</summary>
    public const int Padding = 4;

    public const int Columns = 3;

    public static Image Compose(ExplainReport report)
    {
        var cells = new List<Image>();
        foreach (var section in report.Images)
            foreach (var panel in section.Panels)
            {
                cells.Add(section.Input);
                cells.Add(panel.Figures[0].Image);
                cells.Add(panel.Figures[1].Image);
            }
        if (cells.Count == 0) throw new InvalidOptionException("the report has no method panels to draw; give at least one --method");
        return ImageGrid.Compose(cells, new GridOptions { Columns = Columns, Padding = Padding, Background = Rgb.White });
    }

    /// <summary>Writes the grid to <paramref name="path"/> atomically.</summary>
    public static void Write(ExplainReport report, string path) =>
        AtomicFile.WriteAllBytes(path, "PNG", PngEncoder.Encode(Compose(report)));
}
