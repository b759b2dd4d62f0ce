using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// deconvnet (Zeiler &amp; Fergus 2014; Captum <c>Deconvolution</c>): at every rectifier only the
/// positive part of the incoming gradient passes back, regardless of the forward input.
/// </summary>
public sealed class Deconvolution : AttributionMethod
{
    public override string Name => "deconvnet";

    public override bool SupportsNeuronTargets => true;

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var (gradient, _, resolved) = InputGradient(model, input, targets, RectifierRule.Deconvolution.Composite);
        return Result(gradient, resolved);
    }
}
