namespace CnnLens.Attribution;

/// <summary>
/// Every method option of the command-line contract in one bag (null: the method's default).
/// <see cref="MethodCatalog"/> hands each method the options it understands.
/// </summary>
public sealed record MethodSettings
{
    public string? Layer { get; init; }
    public int? Steps { get; init; }
    public string? IntegrationMethod { get; init; }
    public int? Samples { get; init; }
    public double? Noise { get; init; }
    public Baseline? Baseline { get; init; }

    /// <summary>The reference distribution of deeplift-shap and gradient-shap (null: zero, mean and blur).</summary>
    public BaselineSet? Baselines { get; init; }
    public int? BatchSize { get; init; }

    /// <summary>The LRP rule: composite, epsilon, gamma, alpha-beta or z-plus.</summary>
    public string? Rule { get; init; }

    /// <summary>The LRP epsilon rule's stabiliser.</summary>
    public double? Epsilon { get; init; }

    public double? Gamma { get; init; }

    public double? Alpha { get; init; }

    public double? Beta { get; init; }

    /// <summary>The features feature-ablation, lime, kernel-shap and shapley-sampling switch on and off (null: the method's default).</summary>
    public Perturbation.FeatureMaskSource? Features { get; init; }

    public long Seed { get; init; }

    /// <summary>rise: cells of the random grid along each side (--mask-grid).</summary>
    public int? MaskGrid { get; init; }

    /// <summary>rise: probability that a grid cell keeps the image (--mask-probability).</summary>
    public double? MaskProbability { get; init; }

    /// <summary>lime: width of the exponential kernel on the cosine distance (--kernel-width).</summary>
    public double? KernelWidth { get; init; }

    /// <summary>Occlusion window (channels, height, width).</summary>
    public int[]? Window { get; init; }

    /// <summary>Occlusion strides (channels, height, width).</summary>
    public int[]? Strides { get; init; }

    /// <summary>Occlusion and feature-ablation: recompute every perturbed image in full instead of incrementally.</summary>
    public bool FullForward { get; init; }
}
