using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>input-x-gradient: input ⊙ gradient of the target logit (Captum <c>InputXGradient</c>).</summary>
public sealed class InputXGradient : AttributionMethod
{
    public override string Name => "input-x-gradient";

    public override bool SupportsNeuronTargets => true;

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        var (gradient, _, resolved) = InputGradient(model, input, targets);
        var values = new Tensor(input.ShapeArray);
        System.Numerics.Tensors.TensorPrimitives.Multiply(input.Data, gradient.Data, values.Data);
        return Result(values, resolved);
    }
}
