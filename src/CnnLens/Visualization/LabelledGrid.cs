using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;

namespace CnnLens.Visualization;

/// <summary>An image grid (<see cref="ImageGrid"/>) with a number stamped in the padding above each labelled cell.</summary>
public static class LabelledGrid
{
    /// <summary>Padding that leaves room for a label row above every cell.</summary>
    public const int LabelPadding = DigitLabel.GlyphHeight + 4;

    /// <summary>
    /// Composes <paramref name="cells"/> and draws <paramref name="labels"/>[k] (null for none) just above cell k.
    /// Labels need <see cref="GridOptions.Padding"/> of at least <see cref="LabelPadding"/>; smaller padding is raised to it.
    /// </summary>
    public static (Image Grid, GridLayout Layout) Compose(IReadOnlyList<Image> cells, IReadOnlyList<string?>? labels, GridOptions options)
    {
        if (labels is not null && options.Padding < LabelPadding) options = options with { Padding = LabelPadding };
        var layout = ImageGrid.Plan(cells, options);
        var grid = ImageGrid.Compose(cells, options);
        if (labels is null) return (grid, layout);
        for (int k = 0; k < cells.Count && k < labels.Count; k++)
        {
            if (labels[k] is not { } label) continue;
            var (x, y, _, _) = layout.CellContent(k);
            DigitLabel.Draw(grid, x, y - layout.BorderWidth - DigitLabel.GlyphHeight - 2, label, Rgb.Black);
        }
        return (grid, layout);
    }
}
