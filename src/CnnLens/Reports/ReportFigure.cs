using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;

namespace CnnLens.Reports;

/// <summary>
/// One picture of a panel ("heatmap", "overlay", "signed"), with the colour bar that reads it
/// (null for pictures without one) and the name of the colormap used.
/// </summary>
public sealed record ReportFigure(string Caption, Image Image, ColorBar? ColorBar, string Colormap);
