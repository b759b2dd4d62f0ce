using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>
/// A partition of the image plane into <see cref="Count"/> features (grid cells, superpixels or a
/// user's mask): <see cref="Labels"/>[y * Width + x] is the feature of pixel (y, x), numbered 0..Count-1.
/// Feature ablation, LIME and the SHAP methods switch whole features on and off.
/// </summary>
public sealed class FeatureMask
{
    private FeatureMask(int height, int width, int[] labels, int count)
    {
        Height = height;
        Width = width;
        Labels = labels;
        Count = count;
    }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Feature index of every pixel, row-major.</summary>
    public int[] Labels { get; }

    public int Count { get; }

    /// <summary>Cells of <paramref name="cellHeight"/> x <paramref name="cellWidth"/> pixels (the last row/column may be smaller).</summary>
    public static FeatureMask Grid(int height, int width, int cellHeight, int cellWidth)
    {
        if (cellHeight < 1 || cellWidth < 1)
            throw new InvalidOptionException($"grid cells must be at least 1x1 pixels, not {cellHeight}x{cellWidth}");
        int columns = (width + cellWidth - 1) / cellWidth;
        var labels = new int[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                labels[y * width + x] = y / cellHeight * columns + x / cellWidth;
        return new FeatureMask(height, width, labels, columns * ((height + cellHeight - 1) / cellHeight));
    }

    /// <summary>
    /// Any integer labelling (for example a mask image or .npy a user gives): labels are renumbered
    /// 0..Count-1 in order of first appearance, so gaps and negative values are fine.
    /// </summary>
    public static FeatureMask FromLabels(int height, int width, ReadOnlySpan<int> labels)
    {
        if (labels.Length != height * width)
            throw new ShapeMismatchException($"a feature mask of {labels.Length} values does not cover a {height}x{width} image");
        var renumber = new Dictionary<int, int>();
        var result = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!renumber.TryGetValue(labels[i], out int id)) renumber[labels[i]] = id = renumber.Count;
            result[i] = id;
        }
        return new FeatureMask(height, width, result, renumber.Count);
    }

    /// <summary>A float mask tensor [H,W] (or [1,H,W]) whose values are integral labels.</summary>
    public static FeatureMask FromTensor(Tensor mask)
    {
        if (mask.Rank is < 2 or > 3 || (mask.Rank == 3 && mask.Dim(0) != 1))
            throw new ShapeMismatchException($"a feature mask must be [H,W] or [1,H,W], not {mask}");
        var labels = new int[mask.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            float v = mask.Data[i];
            if (v != MathF.Round(v) || !float.IsFinite(v))
                throw new DataFormatException($"feature mask value {v} at index {i} is not an integer label");
            labels[i] = (int)v;
        }
        return FromLabels(mask.Dim(-2), mask.Dim(-1), labels);
    }

    /// <summary>Pixel count of every feature.</summary>
    public int[] Sizes()
    {
        var sizes = new int[Count];
        foreach (int label in Labels) sizes[label]++;
        return sizes;
    }

    /// <summary>The labels as a [H,W] tensor.</summary>
    public Tensor ToTensor()
    {
        var t = new Tensor(Height, Width);
        for (int i = 0; i < Labels.Length; i++) t.Data[i] = Labels[i];
        return t;
    }
}
