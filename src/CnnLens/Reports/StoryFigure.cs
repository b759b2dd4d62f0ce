using CnnLens.Imaging;

namespace CnnLens.Reports;

/// <summary>A captioned picture in a gallery, shown <see cref="DisplayWidth"/> CSS pixels wide (small images scale up without smoothing).</summary>
public sealed record StoryFigure(string Caption, Image Image, int DisplayWidth = HtmlReportWriter.FigureDisplayWidth);
