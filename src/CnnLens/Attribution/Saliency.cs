using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// saliency: the gradient of the target logit with respect to the input, signed
/// (Captum <c>Saliency(abs=False)</c>; Simonyan et al. 2014 take its absolute value for display).
/// </summary>
public sealed class Saliency : AttributionMethod
{
    public override string Name => "saliency";

    public override bool SupportsNeuronTargets => true;

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var (gradient, _, resolved) = InputGradient(model, input, targets);
        return Result(gradient, resolved);
    }
}
