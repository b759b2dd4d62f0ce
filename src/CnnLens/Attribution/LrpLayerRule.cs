using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>The LRP rules of a layer with weights (Montavon et al. 2019, "Layer-Wise Relevance Propagation: An Overview").</summary>
public enum LrpLayerRuleKind
{
    Epsilon,
    Gamma,
    AlphaBeta,
    ZPlus,

    /// <summary>First layer only: all weights and inputs 1, relevance spread evenly over each receptive field.</summary>
    Flat,

    /// <summary>First layer only: squared weights, inputs 1.</summary>
    WSquare,
}

/// <summary>
/// An LRP rule at a Conv, ConvTranspose, Gemm or MatMul-with-weights node. Operators are pure
/// functions of their inputs, so each rule runs the node's own forward and backward with modified
/// weights (W⁺, W + γW⁺, ones, W²) and the relevance is x ⊙ layerᵀ(R / z).
/// </summary>
public sealed class LrpLayerRule(LrpLayerRuleKind kind, LrpOptions options) : IBackwardRule
{
    public LrpLayerRuleKind Kind { get; } = kind;

    public Tensor?[] Backward(GraphNode node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var relevance = outputGradients[0]!;
        var x = inputs[0]!;
        var w = inputs[1]!;
        var b = inputs.Length > 2 ? inputs[2] : null;
        var result = new Tensor?[inputs.Length];
        result[0] = Kind switch
        {
            LrpLayerRuleKind.Epsilon => ZRule(node, inputs, x, w, b, relevance, outputs[0]),
            LrpLayerRuleKind.Gamma => ZRule(node, inputs, x, GammaWeighted(w, (float)options.Gamma),
                b is null ? null : GammaWeighted(b, (float)options.Gamma), relevance, null),
            LrpLayerRuleKind.AlphaBeta => AlphaBeta(node, inputs, x, w, b, relevance, options.Alpha, options.Beta),
            LrpLayerRuleKind.ZPlus => AlphaBeta(node, inputs, x, w, null, relevance, 1, 0),
            LrpLayerRuleKind.Flat => Spread(node, inputs, x, Tensor.Filled(w.ShapeArray, 1f), relevance),
            _ => Spread(node, inputs, x, Multiply(w, w), relevance),
        };
        return result;
    }

    /// <summary>R_in = x ⊙ layerᵀ(R / (z + ε·sign z)) with the given weights (z recomputed unless given).</summary>
    private Tensor ZRule(GraphNode node, Tensor?[] inputs, Tensor x, Tensor w, Tensor? b, Tensor relevance, Tensor? z)
    {
        z ??= Forward(node, inputs, x, w, b);
        var s = StabilisedRatio(relevance, z, (float)options.Epsilon);
        return Multiply(x, Transposed(node, inputs, x, w, b, z, s));
    }

    /// <summary>
    /// R_in = α·[x⁺ ⊙ W⁺ᵀ(R/z⁺) + x⁻ ⊙ W⁻ᵀ(R/z⁺)] − β·[x⁻ ⊙ W⁺ᵀ(R/z⁻) + x⁺ ⊙ W⁻ᵀ(R/z⁻)], where z⁺ gathers the
    /// positive contributions W⁺x⁺ + W⁻x⁻ (+ b⁺) and z⁻ the negative ones W⁺x⁻ + W⁻x⁺ (+ b⁻).
    /// </summary>
    private static Tensor AlphaBeta(GraphNode node, Tensor?[] inputs, Tensor x, Tensor w, Tensor? b, Tensor relevance, double alpha, double beta)
    {
        var xPositive = PositivePart(x);
        var xNegative = NegativePart(x);
        var wPositive = PositivePart(w);
        var wNegative = NegativePart(w);
        var result = new Tensor(x.ShapeArray);
        var scratch = new float[x.Length];

        var zPositive = Sum(Forward(node, inputs, xPositive, wPositive, b is null ? null : PositivePart(b)), Forward(node, inputs, xNegative, wNegative, null));
        var sPositive = SafeRatio(relevance, zPositive);
        Accumulate(result, (float)alpha, xPositive, Transposed(node, inputs, xPositive, wPositive, null, zPositive, sPositive), scratch);
        Accumulate(result, (float)alpha, xNegative, Transposed(node, inputs, xNegative, wNegative, null, zPositive, sPositive), scratch);
        if (beta != 0)
        {
            var zNegative = Sum(Forward(node, inputs, xNegative, wPositive, b is null ? null : NegativePart(b)), Forward(node, inputs, xPositive, wNegative, null));
            var sNegative = SafeRatio(relevance, zNegative);
            Accumulate(result, -(float)beta, xNegative, Transposed(node, inputs, xNegative, wPositive, null, zNegative, sNegative), scratch);
            Accumulate(result, -(float)beta, xPositive, Transposed(node, inputs, xPositive, wNegative, null, zNegative, sNegative), scratch);
        }
        return result;
    }

    /// <summary>Flat and w-square: input 1, no bias, so R_in = layerᵀ_W(R / layer_W(1)) depends only on the weights.</summary>
    private static Tensor Spread(GraphNode node, Tensor?[] inputs, Tensor x, Tensor w, Tensor relevance)
    {
        var ones = Tensor.Filled(x.ShapeArray, 1f);
        var z = Forward(node, inputs, ones, w, null);
        return Transposed(node, inputs, ones, w, null, z, SafeRatio(relevance, z));
    }

    private static Tensor Forward(GraphNode node, Tensor?[] inputs, Tensor x, Tensor w, Tensor? b) =>
        node.Operator.Forward(WithLayer(inputs, x, w, b))[0];

    /// <summary>layerᵀ(s): the node's vector-Jacobian product with respect to its input, for the given weights.</summary>
    private static Tensor Transposed(GraphNode node, Tensor?[] inputs, Tensor x, Tensor w, Tensor? b, Tensor z, Tensor s)
    {
        var modified = WithLayer(inputs, x, w, b);
        var needed = new bool[modified.Length];
        needed[0] = true;
        return node.Operator.Backward(modified, [z], [s], needed)[0]
            ?? throw new CnnLensException($"LRP: {node} gave no gradient for its input");
    }

    private static Tensor?[] WithLayer(Tensor?[] inputs, Tensor x, Tensor w, Tensor? b)
    {
        var modified = (Tensor?[])inputs.Clone();
        modified[0] = x;
        modified[1] = w;
        if (modified.Length > 2) modified[2] = b;
        return modified;
    }

    /// <summary>R / (z + ε·sign z) with sign(0) = 1.</summary>
    internal static Tensor StabilisedRatio(Tensor relevance, Tensor z, float epsilon)
    {
        var s = new Tensor(z.ShapeArray);
        var r = relevance.Data;
        var zd = z.Data;
        var sd = s.Data;
        for (int i = 0; i < sd.Length; i++)
        {
            float denominator = zd[i] + (zd[i] >= 0 ? epsilon : -epsilon);
            sd[i] = denominator == 0 ? 0 : r[i] / denominator;
        }
        return s;
    }

    /// <summary>R / z, and 0 where z = 0 (there every contribution is 0, so no relevance can flow).</summary>
    private static Tensor SafeRatio(Tensor relevance, Tensor z)
    {
        var s = new Tensor(z.ShapeArray);
        for (int i = 0; i < s.Data.Length; i++)
            s.Data[i] = z.Data[i] == 0 ? 0 : relevance.Data[i] / z.Data[i];
        return s;
    }

    private static Tensor PositivePart(Tensor t)
    {
        var result = new Tensor(t.ShapeArray);
        System.Numerics.Tensors.TensorPrimitives.Max(t.Data, 0f, result.Data);
        return result;
    }

    private static Tensor NegativePart(Tensor t)
    {
        var result = new Tensor(t.ShapeArray);
        System.Numerics.Tensors.TensorPrimitives.Min(t.Data, 0f, result.Data);
        return result;
    }

    /// <summary>W + γ·max(W, 0).</summary>
    private static Tensor GammaWeighted(Tensor t, float gamma)
    {
        var result = PositivePart(t);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(result.Data, gamma, t.Data, result.Data);
        return result;
    }

    internal static Tensor Multiply(Tensor a, Tensor b)
    {
        var result = new Tensor(a.ShapeArray);
        System.Numerics.Tensors.TensorPrimitives.Multiply(a.Data, b.Data, result.Data);
        return result;
    }

    private static Tensor Sum(Tensor a, Tensor b)
    {
        var result = new Tensor(a.ShapeArray);
        System.Numerics.Tensors.TensorPrimitives.Add(a.Data, b.Data, result.Data);
        return result;
    }

    /// <summary>result += factor · a ⊙ b (<paramref name="scratch"/> holds a ⊙ b).</summary>
    private static void Accumulate(Tensor result, float factor, Tensor a, Tensor b, float[] scratch)
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(a.Data, b.Data, scratch);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(scratch, factor, result.Data, result.Data);
    }
}
