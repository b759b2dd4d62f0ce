using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>
/// Where the features of feature ablation, LIME and the SHAP methods come from: a grid, a mask file,
/// or superpixels of each image (the CLI's <c>--features</c>).
/// </summary>
public abstract class FeatureMaskSource
{
    /// <summary>The features of one image [C,H,W].</summary>
    public abstract FeatureMask For(Tensor image);

    /// <summary>The source as the user would write it.</summary>
    public abstract override string ToString();

    public static FeatureMaskSource Grid(int cellHeight, int cellWidth) => new GridSource(cellHeight, cellWidth);

    public static FeatureMaskSource Fixed(FeatureMask mask, string description) => new FixedSource(mask, description);

    private sealed class GridSource(int cellHeight, int cellWidth) : FeatureMaskSource
    {
        public override FeatureMask For(Tensor image) => FeatureMask.Grid(image.Dim(-2), image.Dim(-1), cellHeight, cellWidth);

        public override string ToString() => cellHeight == cellWidth ? $"grid:{cellHeight}" : $"grid:{cellHeight}x{cellWidth}";
    }

    private sealed class FixedSource(FeatureMask mask, string description) : FeatureMaskSource
    {
        public override FeatureMask For(Tensor image) =>
            mask.Height == image.Dim(-2) && mask.Width == image.Dim(-1) ? mask
                : throw new ShapeMismatchException($"feature mask {description} is {mask.Height}x{mask.Width} but the image is {image.Dim(-2)}x{image.Dim(-1)}");

        public override string ToString() => description;
    }
}
