using System.Globalization;
using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;

namespace CnnLens.Visualization;

/// <summary>Draws a <see cref="TopPatchResult"/> as one grid: a row per channel (numbered), its top patches left to right.</summary>
public static class TopPatchGrid
{
    public static (Image Grid, GridLayout Layout) Render(TopPatchResult result, int minimumCellSize = 64)
    {
        int columns = Math.Max(1, result.Patches.Max(p => p.Count));
        var cells = new List<Image>();
        var labels = new List<string?>();
        var blank = new Image(1, 1, 3, [255, 255, 255]);
        int patchSize = 1;
        for (int k = 0; k < result.Channels.Length; k++)
            for (int i = 0; i < columns; i++)
            {
                var patch = i < result.Patches[k].Count ? result.Patches[k][i].Patch : null;
                cells.Add(patch ?? blank);
                if (patch is not null) patchSize = Math.Max(patchSize, Math.Max(patch.Width, patch.Height));
                labels.Add(i == 0 ? result.Channels[k].ToString(CultureInfo.InvariantCulture) : null);
            }
        int factor = Math.Max(1, (int)Math.Ceiling(minimumCellSize / (double)patchSize));
        var options = new GridOptions
        {
            Columns = columns,
            CellWidth = cells.Max(c => c.Width) * factor,
            CellHeight = cells.Max(c => c.Height) * factor,
            Resize = ResizeFilter.Nearest,
        };
        return LabelledGrid.Compose(cells, labels, options);
    }
}
