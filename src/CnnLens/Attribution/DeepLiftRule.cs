using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// DeepLIFT's multipliers as backward rules (Shrikumar et al. 2017, rescale rule), over a forward
/// pass of the batch [inputs; references] (first half inputs, second half their references). Every
/// rule keeps summation-to-delta exact, so Σ attribution = f(x) − f(x′) through every supported op:
/// <list type="bullet">
/// <item>linear ops (Conv, Gemm, MatMul with a constant, BatchNormalization, Add, Sub, average
/// pooling, Concat, Reshape, ...): their ordinary gradient is already exact;</item>
/// <item>elementwise nonlinearities (Relu, Clip, Sigmoid, Tanh, ...): the rescale multiplier
/// Δy/Δx, or the derivative where |Δx| &lt; 1e-10 (as Captum does);</item>
/// <item>a product of two varying tensors (SiLU as x·σ(x), squeeze-excitation): each factor's
/// multiplier is the mean of the other factor at input and reference, exact since
/// ab − a′b′ = ½(b + b′)(a − a′) + ½(a + a′)(b − b′);</item>
/// <item>max pooling: each output's change is split over its window by the fraction of the straight
/// path from reference to input on which each element is the maximum (exact; Captum's rule can
/// lose contributions when the reference's maximum sits elsewhere).</item>
/// </list>
/// </summary>
public sealed class DeepLiftRule(ComputationGraph graph) : IBackwardRule
{
    private const float Epsilon = 1e-10f;

    private static readonly HashSet<string> ElementwiseNonlinear =
        ["Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Exp", "Sqrt", "Abs", "Log", "Reciprocal", "Neg"];

    /// <summary>Ops whose plain gradient already gives exact multipliers (linear in their varying input).</summary>
    private static readonly HashSet<string> Linear =
    [
        "Conv", "ConvTranspose", "Gemm", "BatchNormalization", "Add", "Sub", "Sum", "AveragePool", "GlobalAveragePool",
        "Concat", "Split", "Slice", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Gather", "Pad",
        "ReduceMean", "ReduceSum", "Dropout", "Identity", "Resize", "Upsample", "Expand", "Cast",
    ];

    /// <summary>The composite: this rule for the ops it rewrites; other supported ops keep their gradient.</summary>
    public BackwardComposite Composite => node =>
        ElementwiseNonlinear.Contains(node.OpType) || node.OpType is "Mul" or "Div" or "MatMul" or "MaxPool" or "GlobalMaxPool" ? this
        : Linear.Contains(node.OpType) ? null
        : throw new UnsupportedOperatorException($"DeepLIFT has no rule for {node.OpType} (node '{node.Name}'); supported: {string.Join(" ", Linear.Concat(ElementwiseNonlinear).Append("Mul").Append("MaxPool").Order())}");

    public Tensor?[] Backward(GraphNode node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        if (ElementwiseNonlinear.Contains(node.OpType)) return Rescale(node, inputs, outputs, outputGradients);
        return node.OpType switch
        {
            "Mul" or "MatMul" => Product(node, inputs, outputs, outputGradients),
            "Div" => Quotient(node, inputs, outputs, outputGradients),
            _ => MaxPoolPath.Backward(node, inputs, outputs[0], outputGradients[0]!),
        };
    }

    private static Tensor?[] Rescale(GraphNode node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var gradients = node.Operator.Backward(inputs, outputs, outputGradients);
        var x = inputs[0]!;
        var y = outputs[0];
        var g = outputGradients[0]!;
        var result = gradients[0]!.Clone();
        int half = x.Length / 2;
        for (int i = 0; i < half; i++)
        {
            float dx = x.Data[i] - x.Data[half + i];
            if (Math.Abs(dx) < Epsilon) continue; // keep the ordinary derivative
            float m = (y.Data[i] - y.Data[half + i]) / dx;
            result.Data[i] = g.Data[i] * m;
            result.Data[half + i] = g.Data[half + i] * m;
        }
        var all = (Tensor?[])gradients.Clone();
        all[0] = result;
        return all;
    }

    /// <summary>Both factors vary: differentiate at the midpoint of input and reference (exact for products).</summary>
    private Tensor?[] Product(GraphNode node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) =>
        node.Operator.Backward(inputs.Select((t, i) => Varies(node, i) ? Midpoint(t!) : t).ToArray(), outputs, outputGradients);

    /// <summary>a / b with a constant (or reference-equal) divisor is linear; a varying divisor has no exact rule here.</summary>
    private Tensor?[] Quotient(GraphNode node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        if (Varies(node, 1))
            throw new UnsupportedOperatorException($"DeepLIFT has no rule for Div by a varying tensor (node '{node.Name}')");
        return node.Operator.Backward(inputs, outputs, outputGradients);
    }

    /// <summary>Replaces each half of a [inputs; references] tensor by the mean of the two halves.</summary>
    private static Tensor Midpoint(Tensor t)
    {
        var result = new Tensor(t.ShapeArray);
        int half = t.Length / 2;
        for (int i = 0; i < half; i++)
            result.Data[i] = result.Data[half + i] = 0.5f * (t.Data[i] + t.Data[half + i]);
        return result;
    }

    /// <summary>True when input <paramref name="index"/> of the node is computed from the image (not a weight or a shape).</summary>
    private bool Varies(GraphNode node, int index)
    {
        int slot = index < node.InputSlots.Length ? node.InputSlots[index] : -1;
        return slot >= 0 && graph.Constants[slot] is null && !graph.ShapeStatic[slot];
    }
}
