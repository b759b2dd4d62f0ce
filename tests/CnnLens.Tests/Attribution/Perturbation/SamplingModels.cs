using CnnLens.Attribution.Perturbation;
using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Tests.Attribution.Perturbation;

/// <summary>Small models whose perturbation attributions are known in closed form or by enumeration.</summary>
public static class SamplingModels
{
    /// <summary>Five irregular features over a 4x4 image (numbered in order of first appearance).</summary>
    public static readonly int[] FiveFeatures = [0, 0, 1, 1, 0, 2, 2, 1, 3, 2, 4, 4, 3, 3, 4, 1];

    public static FeatureMaskSource FiveFeatureSource => FeatureMaskSource.Fixed(FeatureMask.FromLabels(4, 4, FiveFeatures), "five.npy");

    /// <summary>w[t, p] of <see cref="Linear"/>.</summary>
    public static float Weight(int target, int pixel) => ((pixel * 7 + target * 3) % 11 - 5) / 4f;

    /// <summary>An input [1,1,4,4] with mixed signs.</summary>
    public static Tensor LinearInput() => new([1, 1, 4, 4], Enumerable.Range(0, 16).Select(p => 0.2f + (p % 5) * 0.3f - (p % 3) * 0.45f).ToArray());

    /// <summary>
    /// logits[t] = Σ_p w[t,p]·x[p] + bias[t] on [N,1,4,4]: with a zero baseline, switching feature k
    /// on adds c_k = Σ_{p in k} w[t,p]·x[p], so LIME's coefficients and every Shapley value are c_k.
    /// </summary>
    public static Model Linear()
    {
        var w = new Tensor(2, 16);
        for (int t = 0; t < 2; t++)
            for (int p = 0; p < 16; p++) w[t, p] = Weight(t, p);
        return Dense("linear", [1, 4, 4], ["flat"], new() { ["w"] = w, ["b"] = Tensor.FromValues([2], 0.7f, -0.3f) },
            new OnnxNode { Name = "fc", OpType = "Gemm", Inputs = ["flat", "w", "b"], Outputs = ["logits"], Attributes = TransB() });
    }

    /// <summary>A 4-pixel image [N,1,2,2] through Gemm(4→3), Relu, Gemm(3→2): the features interact through the ReLUs.</summary>
    public static Model Interacting()
    {
        var w1 = new Tensor([3, 4], [1.0f, -0.8f, 0.6f, 0.9f, -0.5f, 1.2f, 0.7f, -1.1f, 0.8f, 0.8f, -1.3f, 0.4f]);
        var b1 = Tensor.FromValues([3], -0.2f, 0.1f, -0.3f);
        var w2 = new Tensor([2, 3], [1.5f, -0.7f, 1.1f, 0.3f, 0.9f, -0.6f]);
        var b2 = Tensor.FromValues([2], 0.05f, 0f);
        return Dense("interacting", [1, 2, 2], ["flat"], new() { ["w1"] = w1, ["b1"] = b1, ["w2"] = w2, ["b2"] = b2 },
            new OnnxNode { Name = "fc1", OpType = "Gemm", Inputs = ["flat", "w1", "b1"], Outputs = ["hidden"], Attributes = TransB() },
            new OnnxNode { Name = "relu", OpType = "Relu", Inputs = ["hidden"], Outputs = ["rectified"] },
            new OnnxNode { Name = "fc2", OpType = "Gemm", Inputs = ["rectified", "w2", "b2"], Outputs = ["logits"], Attributes = TransB() });
    }

    public static Tensor InteractingInput() => new([1, 1, 2, 2], [0.9f, -0.6f, 1.3f, 0.7f]);

    /// <summary>The target logit with the pixels of the features in <paramref name="coalition"/> kept and the rest zero.</summary>
    public static double Value(Model model, Tensor input, FeatureMask mask, int coalition, int target)
    {
        var x = new Tensor(input.ShapeArray);
        for (int p = 0; p < mask.Labels.Length; p++)
            if ((coalition >> mask.Labels[p] & 1) != 0) x.Data[p] = input.Data[p];
        return model.Predict(x).Data[target];
    }

    /// <summary>Shapley values by the definition: φ_i = Σ_{S ∌ i} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S)).</summary>
    public static double[] ExactShapley(Model model, Tensor input, FeatureMask mask, int target)
    {
        int m = mask.Count;
        var v = Enumerable.Range(0, 1 << m).Select(s => Value(model, input, mask, s, target)).ToArray();
        static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
        var phi = new double[m];
        for (int i = 0; i < m; i++)
            for (int s = 0; s < 1 << m; s++)
                if ((s >> i & 1) == 0)
                {
                    int size = System.Numerics.BitOperations.PopCount((uint)s);
                    phi[i] += Factorial(size) * Factorial(m - size - 1) / Factorial(m) * (v[s | 1 << i] - v[s]);
                }
        return phi;
    }

    private static Model Dense(string name, int[] imageShape, string[] flat, Dictionary<string, Tensor> initializers, params OnnxNode[] nodes)
    {
        var graph = new OnnxGraph
        {
            Name = name,
            Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(null, "N"), .. imageShape.Select(d => new OnnxDimension(d, null))] } },
            Outputs = { new OnnxValueInfo { Name = "logits" } },
            Nodes = { new OnnxNode { Name = "flatten", OpType = "Flatten", Inputs = ["x"], Outputs = flat } },
        };
        foreach (var (key, value) in initializers) graph.Initializers[key] = value;
        foreach (var node in nodes) graph.Nodes.Add(node);
        return Model.FromOnnx(new OnnxModel { Graph = graph, Opsets = { [""] = 13 } }, name);
    }

    private static OnnxAttributes TransB()
    {
        var a = new OnnxAttributes();
        a.Set("transB", 1L);
        return a;
    }
}
