using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// What a method returns: the signed attribution tensor plus what produced it. Input-space methods
/// give [N,C,H,W] (raw: no abs, no channel sum, no normalisation); CAM methods give [N,h,w] at the
/// layer's resolution after the ReLU.
/// </summary>
public sealed record Attribution
{
    public required Tensor Values { get; init; }

    /// <summary>Contract name of the method ("integrated-gradients", "grad-cam", ...).</summary>
    public required string Method { get; init; }

    /// <summary>The explained class per image of the batch (the channel, for a neuron target).</summary>
    public required int[] Targets { get; init; }

    /// <summary>The layer channel or neuron explained instead of a class, else null.</summary>
    public NeuronTarget? Neuron { get; init; }

    /// <summary>The layer a layer/CAM method looked at, else null.</summary>
    public string? Layer { get; init; }

    /// <summary>The options as the user would write them, for reports.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    public TimeSpan Elapsed { get; init; }

    /// <summary>
    /// Completeness error per image where the method has one (integrated gradients: |Σ attribution −
    /// (f(x) − f(baseline))|; DeepLIFT: the summation-to-delta error).
    /// </summary>
    public double[]? ConvergenceDelta { get; init; }

    /// <summary>
    /// Weighted R² of the linear surrogate per image, for the methods that fit one (lime, kernel-shap):
    /// how well the explanation's linear model reproduces the scores of the perturbed inputs it saw.
    /// </summary>
    public double[]? SurrogateRSquared { get; init; }
}
