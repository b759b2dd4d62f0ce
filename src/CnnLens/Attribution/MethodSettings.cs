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
    public long Seed { get; init; }
}
