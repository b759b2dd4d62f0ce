using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tests.Support;
using Xunit;

namespace CnnLens.Tests.Attribution;

/// <summary>LRP rules against hand-derived relevances and the conservation properties the rules guarantee.</summary>
public class LrpTests
{
    private static readonly LrpOptions TinyEpsilon = new() { Rule = LrpRuleChoice.Epsilon, Epsilon = 1e-9 };

    /// <summary>
    /// x = [1, 2]; W1 = [[1, −1], [2, 1]] gives h = [−1, 4], ReLU [0, 4]; W2 = [[1, 0.5], [−1, 1]] gives logits [2, 4].
    /// Class 0: R = [2, 0] → s = [1, 0] → W2ᵀs = [1, 0.5] → R_h = [0, 2] → s = [0, 0.5] → W1ᵀs = [1, 0.5] → R_x = [1, 1].
    /// Class 1: R = [0, 4] → s = [0, 1] → W2ᵀs = [−1, 1] → R_h = [0, 4] → s = [0, 1] → W1ᵀs = [2, 1] → R_x = [2, 2].
    /// </summary>
    [Theory]
    [InlineData(0, 1f, 1f)]
    [InlineData(1, 2f, 2f)]
    public void EpsilonRuleOnDenseModelMatchesHandDerivation(int target, float r0, float r1)
    {
        var model = Model.FromOnnx(DenseModel());
        var x = Tensor.FromValues([1, 2], 1f, 2f);
        var result = new LayerwiseRelevancePropagation(TinyEpsilon).Attribute(model, x, [target]);
        Assert.Equal(r0, result.Values.Data[0], 1e-5f);
        Assert.Equal(r1, result.Values.Data[1], 1e-5f);
        float logit = model.Predict(x).Data[target];
        Assert.Equal(logit, result.Values.Data.Sum(), 1e-5f);
    }

    [Theory]
    [InlineData(LrpRuleChoice.Epsilon)]
    [InlineData(LrpRuleChoice.ZPlus)]
    [InlineData(LrpRuleChoice.AlphaBeta)]
    public void BiasFreeConvModelConservesRelevance(LrpRuleChoice rule)
    {
        var model = Model.FromOnnx(ConvModel());
        var x = Deterministic([2, 2, 6, 6], 11, -1, 1);
        var logits = model.Predict(x);
        var result = new LayerwiseRelevancePropagation(new LrpOptions { Rule = rule, Epsilon = 1e-9 }).Attribute(model, x, [0, 2]);
        int per = 2 * 6 * 6;
        for (int n = 0; n < 2; n++)
        {
            double sum = result.Values.Data.Skip(n * per).Take(per).Sum(v => (double)v);
            double logit = logits.Data[n * 3 + (n == 0 ? 0 : 2)];
            Assert.True(Math.Abs(sum - logit) <= 1e-4 * Math.Abs(logit), $"{rule}: Σ R = {sum}, logit {logit}");
        }
    }

    /// <summary>With ε → 0 and no biases, epsilon-LRP through ReLU and linear ops equals input × gradient (Ancona et al. 2018).</summary>
    [Fact]
    public void EpsilonRuleEqualsInputTimesGradientOnBiasFreeReluModel()
    {
        var model = Model.FromOnnx(ConvModel());
        var x = Deterministic([1, 2, 6, 6], 5, -1, 1);
        var (gradient, _, _) = Gradients.OfInput(model, x, [1]);
        var result = new LayerwiseRelevancePropagation(TinyEpsilon).Attribute(model, x, [1]);
        double scale = x.Data.Zip(gradient.Data).Max(p => Math.Abs(p.First * p.Second));
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(result.Values.Data[i] - x.Data[i] * gradient.Data[i]) <= 1e-4 * scale, $"element {i}");
    }

    /// <summary>
    /// Flat on a 1-channel 3x3 conv over a 4x4 image (2x2 outputs): each output's relevance r_j (from the
    /// bias-free dense layer, r_j = a_j·v_j for the epsilon rule) is spread evenly, r_j / 9, over its 3x3 window.
    /// </summary>
    [Fact]
    public void FlatFirstLayerSpreadsRelevanceEvenlyOverReceptiveFields()
    {
        var onnx = FlatModel();
        var model = Model.FromOnnx(onnx);
        var x = Deterministic([1, 1, 4, 4], 3, 0.1f, 1);
        var conv = onnx.Graph.Initializers["k"];
        var dense = onnx.Graph.Initializers["v"];
        var a = new double[4];
        for (int oy = 0; oy < 2; oy++)
            for (int ox = 0; ox < 2; ox++)
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++)
                        a[oy * 2 + ox] += conv.Data[ky * 3 + kx] * x.Data[(oy + ky) * 4 + ox + kx];
        var r = a.Select((v, j) => v * dense.Data[j]).ToArray();

        var result = new LayerwiseRelevancePropagation(new LrpOptions { Epsilon = 1e-9 }).Attribute(model, x, [0]);
        var R = result.Values.Data;
        Assert.Equal(r[0] / 9, R[0], 1e-5);              // corner (0,0): only output (0,0) sees it
        Assert.Equal(r[1] / 9, R[3], 1e-5);              // corner (0,3): only output (0,1)
        Assert.Equal((r[0] + r[1]) / 9, R[1], 1e-5);     // (0,1): outputs (0,0) and (0,1)
        Assert.Equal(r.Sum() / 9, R[5], 1e-5);           // (1,1): all four outputs
        Assert.Equal(r.Sum(), R.Sum(v => (double)v), 1e-4);
    }

    /// <summary>
    /// z-plus on one dense layer, x = [1, −2, 3], w = [2, 1, −1]: contributions x_i·w_i = [2, −2, −3]; only
    /// the first is positive, so it takes all the relevance, the logit −3.
    /// </summary>
    [Fact]
    public void ZPlusKeepsOnlyPositiveContributions()
    {
        var model = Model.FromOnnx(SingleDense([2f, 1f, -1f]));
        var x = Tensor.FromValues([1, 3], 1f, -2f, 3f);
        var result = new LayerwiseRelevancePropagation(new LrpOptions { Rule = LrpRuleChoice.ZPlus }).Attribute(model, x, [0]);
        Assert.Equal([-3f, 0f, 0f], result.Values.Data);
    }

    /// <summary>alpha 2, beta 1 on the same layer: the positive part (2, input 0) gets α·R; the negative part −5 is split 2:3 over inputs 1 and 2, times −β·R.</summary>
    [Fact]
    public void AlphaBetaSplitsPositiveAndNegativeContributions()
    {
        var model = Model.FromOnnx(SingleDense([2f, 1f, -1f]));
        var x = Tensor.FromValues([1, 3], 1f, -2f, 3f);
        var result = new LayerwiseRelevancePropagation(new LrpOptions { Rule = LrpRuleChoice.AlphaBeta }).Attribute(model, x, [0]);
        float R = -3f;
        Assert.Equal(2 * R, result.Values.Data[0], 1e-5f);
        Assert.Equal(-R * 2 / 5, result.Values.Data[1], 1e-5f);
        Assert.Equal(-R * 3 / 5, result.Values.Data[2], 1e-5f);
    }

    /// <summary>gamma 0.25 on w = [2, 1, −1]: w' = [2.5, 1.25, −1], z' = 2.5 − 2.5 − 3 = −3, R_i = x_i·w'_i·R/z' with R = −3.</summary>
    [Fact]
    public void GammaRuleFavoursPositiveWeights()
    {
        var model = Model.FromOnnx(SingleDense([2f, 1f, -1f]));
        var x = Tensor.FromValues([1, 3], 1f, -2f, 3f);
        var result = new LayerwiseRelevancePropagation(new LrpOptions { Rule = LrpRuleChoice.Gamma, Epsilon = 1e-9 }).Attribute(model, x, [0]);
        float ratio = -3f / -3f;
        Assert.Equal(2.5f * ratio, result.Values.Data[0], 1e-5f);
        Assert.Equal(-2.5f * ratio, result.Values.Data[1], 1e-5f);
        Assert.Equal(-3f * ratio, result.Values.Data[2], 1e-5f);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("vgg11_bn")]
    public void CanonizerKeepsLogitsAndRemovesFoldableBatchNorms(string name)
    {
        var model = EngineFixtures.Load(name);
        var canonized = LayerwiseRelevancePropagation.CanonizedFor(model);
        Assert.DoesNotContain(canonized.Graph.Nodes, n => n.OpType == "BatchNormalization");
        var x = EngineFixtures.Read(name, "input_b4");
        var expected = EngineFixtures.Read(name, "logits_b4");
        var actual = canonized.Predict(x);
        double max = expected.Data.Max(v => Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual.Data[i] - expected.Data[i]) <= 1e-4 * max, $"logit {i}: {actual.Data[i]} vs PyTorch {expected.Data[i]}");
        Assert.Same(canonized, LayerwiseRelevancePropagation.CanonizedFor(model));
    }

    [Theory]
    [InlineData("lenet")]
    [InlineData("resnet18")]
    [InlineData("vgg11_bn")]
    [InlineData("googlenet")]
    [InlineData("densenet121")]
    [InlineData("mobilenet_v2")]
    [InlineData("squeezenet1_1")]
    public void CompositeGivesFiniteNonTrivialRelevanceOnFixtures(string name)
    {
        var model = EngineFixtures.Load(name);
        var x = EngineFixtures.Read(name, "input_b1");
        var result = MethodCatalog.Create("lrp", new MethodSettings()).Attribute(model, x, [EngineFixtures.Target(name)]);
        Assert.Equal(x.ShapeArray, result.Values.ShapeArray);
        Assert.All(result.Values.Data, v => Assert.True(float.IsFinite(v)));
        int nonZero = result.Values.Data.Count(v => v != 0);
        Assert.True(nonZero > x.Length / 2, $"only {nonZero} of {x.Length} inputs got relevance");
        Assert.Contains(result.Values.Data, v => v > 0);
    }

    [Fact]
    public void ProductOfTwoVaryingTensorsIsAClearError()
    {
        var model = EngineFixtures.Load("efficientnet_b0");
        var x = EngineFixtures.Read("efficientnet_b0", "input_b1");
        var error = Assert.Throws<UnsupportedOperatorException>(() => new LayerwiseRelevancePropagation().Attribute(model, x, [0]));
        Assert.Contains(model.Graph.Nodes, n => n.OpType == "Mul" && error.Message.Contains($"'{n.Name}'"));
        Assert.Contains("supported:", error.Message);
    }

    /// <summary>w-square on w = [[1, −2], [3, 1]] (2 outputs × 2 inputs), R = [2, 0] at the outputs: R_in_i = w_0i² · 2 / (1 + 4) = [0.4, 1.6].</summary>
    [Fact]
    public void WSquareRuleSharesRelevanceBySquaredWeights()
    {
        var onnx = Build([1, 2], new Dictionary<string, Tensor> { ["w"] = Tensor.FromValues([2, 2], 1f, -2f, 3f, 1f) },
            Node("Gemm", "fc", ["x", "w"], "y", ("transB", 1L)));
        var model = Model.FromOnnx(onnx);
        var values = model.Executor.RunAll(Tensor.FromValues([1, 2], 5f, -7f));
        var rule = new LrpLayerRule(LrpLayerRuleKind.WSquare, new LrpOptions());
        var relevance = ReversePass.Run(model.Graph, values, "y", Tensor.FromValues([1, 2], 2f, 0f), ["x"], _ => rule)["x"];
        Assert.Equal(0.4f, relevance.Data[0], 1e-6f);
        Assert.Equal(1.6f, relevance.Data[1], 1e-6f);
    }

    [Fact]
    public void CompositeChoosesFlatFirstZPlusConvolutionsAndEpsilonDenseLayers()
    {
        var model = EngineFixtures.Load("lenet");
        var composite = new LrpComposite(model.Graph, new LrpOptions());
        var rules = model.Graph.Nodes.Where(n => n.OpType is "Conv" or "Gemm").Select(composite.LayerRuleOf).ToArray();
        Assert.Equal([LrpLayerRuleKind.Flat, LrpLayerRuleKind.ZPlus, LrpLayerRuleKind.Epsilon, LrpLayerRuleKind.Epsilon], rules);
        var single = new LrpComposite(model.Graph, new LrpOptions { Rule = LrpRuleChoice.Gamma });
        Assert.All(model.Graph.Nodes.Where(n => n.OpType is "Conv" or "Gemm"), n => Assert.Equal(LrpLayerRuleKind.Gamma, single.LayerRuleOf(n)));
    }

    [Fact]
    public void CatalogParsesRuleOptions()
    {
        var method = (LayerwiseRelevancePropagation)MethodCatalog.Create("lrp", new MethodSettings { Rule = "alpha-beta", Alpha = 3, Beta = 2 });
        Assert.Equal(LrpRuleChoice.AlphaBeta, method.Options.Rule);
        Assert.Equal(LrpRuleChoice.Composite, ((LayerwiseRelevancePropagation)MethodCatalog.Create("lrp", new MethodSettings())).Options.Rule);
        Assert.Throws<InvalidOptionException>(() => MethodCatalog.Create("lrp", new MethodSettings { Rule = "magic" }));
        Assert.Throws<InvalidOptionException>(() => MethodCatalog.Create("lrp", new MethodSettings { Rule = "alpha-beta", Alpha = 1, Beta = 1 }));
    }

    private static OnnxModel DenseModel() => Build(
        [1, 2],
        new Dictionary<string, Tensor>
        {
            ["w1"] = Tensor.FromValues([2, 2], 1f, -1f, 2f, 1f),
            ["w2"] = Tensor.FromValues([2, 2], 1f, 0.5f, -1f, 1f),
        },
        Node("Gemm", "fc1", ["x", "w1"], "h", ("transB", 1L)),
        Node("Relu", "relu", ["h"], "a"),
        Node("Gemm", "fc2", ["a", "w2"], "y", ("transB", 1L)));

    private static OnnxModel SingleDense(float[] weights) => Build(
        [1, weights.Length],
        new Dictionary<string, Tensor> { ["w"] = Tensor.FromValues([1, weights.Length], weights) },
        Node("Gemm", "fc", ["x", "w"], "y", ("transB", 1L)));

    /// <summary>Conv(2→4, 3x3, pad 1, no bias) – Relu – GlobalAveragePool – Flatten – Gemm(4→3, no bias).</summary>
    private static OnnxModel ConvModel() => Build(
        [-1, 2, 6, 6],
        new Dictionary<string, Tensor>
        {
            ["k"] = Deterministic([4, 2, 3, 3], 7, -0.5f, 1f),
            ["v"] = Deterministic([3, 4], 9, -1f, 1f),
        },
        Node("Conv", "conv", ["x", "k"], "c", ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 })),
        Node("Relu", "relu", ["c"], "a"),
        Node("GlobalAveragePool", "gap", ["a"], "p"),
        Node("Flatten", "flatten", ["p"], "f"),
        Node("Gemm", "fc", ["f", "v"], "y", ("transB", 1L)));

    /// <summary>Conv(1→1, 3x3, no padding) on 4x4 – Flatten – Gemm(4→1), no biases, positive weights.</summary>
    private static OnnxModel FlatModel() => Build(
        [1, 1, 4, 4],
        new Dictionary<string, Tensor>
        {
            ["k"] = Deterministic([1, 1, 3, 3], 13, 0.1f, 1f),
            ["v"] = Deterministic([1, 4], 17, 0.1f, 1f),
        },
        Node("Conv", "conv", ["x", "k"], "c", ("kernel_shape", new long[] { 3, 3 })),
        Node("Flatten", "flatten", ["c"], "f"),
        Node("Gemm", "fc", ["f", "v"], "y", ("transB", 1L)));

    private static OnnxModel Build(int[] inputShape, Dictionary<string, Tensor> weights, params OnnxNode[] nodes)
    {
        var graph = new OnnxGraph
        {
            Name = "lrp-test",
            Inputs = { new OnnxValueInfo { Name = "x", Shape = inputShape.Select(d => d < 0 ? new OnnxDimension(null, "N") : new OnnxDimension(d, null)).ToArray() } },
            Outputs = { new OnnxValueInfo { Name = "y" } },
            Initializers = weights,
        };
        graph.Nodes.AddRange(nodes);
        return new OnnxModel { Graph = graph, Opsets = { [""] = 13 } };
    }

    private static OnnxNode Node(string op, string name, string[] inputs, string output, params (string Name, object Value)[] attributes)
    {
        var node = new OnnxNode { Name = name, OpType = op, Inputs = inputs, Outputs = [output] };
        foreach (var (key, value) in attributes) node.Attributes.Set(key, value);
        return node;
    }

    /// <summary>Reproducible values in [low, high) from a small LCG (no dependence on the code under test).</summary>
    private static Tensor Deterministic(int[] shape, uint seed, float low, float high)
    {
        var t = new Tensor(shape);
        uint state = seed * 2654435761u + 1;
        for (int i = 0; i < t.Length; i++)
        {
            state = state * 1664525u + 1013904223u;
            t.Data[i] = low + (high - low) * (state >> 8) / (float)(1 << 24);
        }
        return t;
    }
}
