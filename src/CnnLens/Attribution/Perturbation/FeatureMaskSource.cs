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

    /// <summary>SLIC superpixels of each image (<see cref="Imaging.Segmentation.Slic"/>), about <paramref name="segments"/> of them.</summary>
    public static FeatureMaskSource Superpixels(int segments, double compactness = 10) =>
        new SuperpixelSource(new Imaging.Segmentation.SlicOptions { Segments = segments, Compactness = compactness });

    /// <summary>The default of lime, kernel-shap and shapley-sampling: about 50 SLIC superpixels.</summary>
    public static FeatureMaskSource DefaultSuperpixels { get; } = Superpixels(50);

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

    private sealed class SuperpixelSource : FeatureMaskSource
    {
        private readonly Imaging.Segmentation.SlicOptions _options;

        public SuperpixelSource(Imaging.Segmentation.SlicOptions options)
        {
            // Check now so a bad --features fails before the model runs.
            if (options.Segments < 1) throw new InvalidOptionException($"slic needs at least 1 segment, not {options.Segments}");
            if (!(options.Compactness > 0) || double.IsInfinity(options.Compactness))
                throw new InvalidOptionException($"slic compactness must be a positive number, not {options.Compactness}");
            _options = options;
        }

        public override FeatureMask For(Tensor image)
        {
            var single = image.Rank == 4 && image.Dim(0) == 1 ? image.Reshape(image.ShapeArray[1..]) : image;
            var (labels, _) = Imaging.Segmentation.Slic.Segment(single, _options);
            return FeatureMask.FromLabels(single.Dim(-2), single.Dim(-1), labels);
        }

        public override string ToString() => FormattableString.Invariant($"slic:{_options.Segments},{_options.Compactness:G}");
    }
}
