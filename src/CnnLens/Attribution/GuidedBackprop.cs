using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// guided-backprop (Springenberg et al. 2015; Captum <c>GuidedBackprop</c>): the input gradient
/// with negative gradients stopped at every rectifier. With a positive seed it is never negative
/// at the input of a ReLU network's first rectifier.
/// </summary>
public sealed class GuidedBackprop : AttributionMethod
{
    public override string Name => "guided-backprop";

    public override bool SupportsNeuronTargets => true;

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var (gradient, _, resolved) = InputGradient(model, input, targets, RectifierRule.Guided.Composite);
        return Result(gradient, resolved);
    }
}
