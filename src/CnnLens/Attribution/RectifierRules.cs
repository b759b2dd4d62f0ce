using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// Backward rules of guided backprop and deconvnet at rectifiers. A rectifier is a Relu, or a
/// Clip whose lower bound is 0 (ReLU6 in MobileNets). Captum hooks only nn.ReLU and so leaves
/// ReLU6 with its plain gradient; CnnLens follows the published definitions (Springenberg et al.
/// 2015, Zeiler &amp; Fergus 2014), which apply to every rectifier.
/// </summary>
public sealed class RectifierRule : IBackwardRule
{
    private readonly bool _maskByForward;

    private RectifierRule(bool maskByForward) => _maskByForward = maskByForward;

    /// <summary>Guided backprop: the usual gradient, then negative values zeroed.</summary>
    public static RectifierRule Guided { get; } = new(maskByForward: true);

    /// <summary>Deconvnet: only the gradient's positive part passes, whatever the forward input was.</summary>
    public static RectifierRule Deconvolution { get; } = new(maskByForward: false);

    /// <summary>A composite that gives this rule to every Relu and Clip node.</summary>
    public BackwardComposite Composite => node => node.OpType is "Relu" or "Clip" ? this : null;

    public Tensor?[] Backward(GraphNode node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var standard = node.Operator.Backward(inputs, outputs, outputGradients);
        if (!IsRectifier(node, inputs) || standard[0] is not { } gradient) return standard;
        var source = _maskByForward ? gradient : outputGradients[0]!;
        var result = new Tensor(source.ShapeArray);
        System.Numerics.Tensors.TensorPrimitives.Max(source.Data, 0f, result.Data);
        var all = (Tensor?[])standard.Clone();
        all[0] = result;
        return all;
    }

    /// <summary>Relu, or Clip with lower bound 0 (from its input at opset 11+, its attribute before).</summary>
    public static bool IsRectifier(GraphNode node, Tensor?[] inputs) => node.OpType switch
    {
        "Relu" => true,
        "Clip" => (inputs.Length > 1 && inputs[1] is { Length: 1 } min ? min.Data[0] : node.Source.Attributes.GetFloat("min", float.NegativeInfinity)) == 0f,
        _ => false,
    };
}
