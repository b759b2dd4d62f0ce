using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution;

public class ShapMethodTests
{
    /// <summary>logits = x·Wᵀ for x [N,4], W [2,4]: every gradient method's answer is known in closed form.</summary>
    private static Model LinearModel() => Model.FromOnnx(new OnnxModel
    {
        Graph = new OnnxGraph
        {
            Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(null, "N"), new(4, null)] } },
            Outputs = { new OnnxValueInfo { Name = "y" } },
            Initializers = { ["w"] = new Tensor([2, 4], [1, -2, 3, 0.5f, -1, 1, 0, 2]) },
            Nodes = { new OnnxNode { Name = "fc", OpType = "Gemm", Inputs = ["x", "w"], Outputs = ["y"], Attributes = Attributes(("transB", 1L)) } },
        },
        Opsets = { [""] = 13 },
    });

    private static OnnxAttributes Attributes(params (string Name, object Value)[] values)
    {
        var a = new OnnxAttributes();
        foreach (var (name, value) in values) a.Set(name, value);
        return a;
    }

    [Fact]
    public void Gradient_shap_on_a_linear_model_is_weight_times_input_minus_baseline_for_any_sampling()
    {
        var x = new Tensor([1, 4], [0.5f, 1, -1, 2]);
        var baseline = new Tensor([1, 4], [0.1f, 0.2f, 0.3f, 0.4f]);
        var options = new GradientShapOptions { Samples = 7, Seed = 11, Baselines = BaselineSet.FromImages(baseline), BatchSize = 3 };
        var result = new GradientShap(options).Attribute(LinearModel(), x, [0]);
        float[] expected = [1 * (0.5f - 0.1f), -2 * (1 - 0.2f), 3 * (-1 - 0.3f), 0.5f * (2 - 0.4f)];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], result.Values.Data[i], 5);
    }

    [Fact]
    public void Gradient_shap_is_reproducible_and_independent_of_batch_size()
    {
        var model = EngineFixtures.Load("lenet");
        var x = EngineFixtures.Read("lenet", "input_b4");
        var a = new GradientShap(new GradientShapOptions { Samples = 5, Seed = 2, BatchSize = 1 }).Attribute(model, x);
        var b = new GradientShap(new GradientShapOptions { Samples = 5, Seed = 2, BatchSize = 20 }).Attribute(model, x);
        Compare.RelativeToLargest(a.Values.Data, b.Values.Data, 1e-6);
    }

    [Theory]
    [InlineData("lenet")]
    [InlineData("resnet18")]
    [InlineData("efficientnet_b0")]
    public void DeepLift_shap_sums_to_the_change_against_the_mean_baseline_output(string name)
    {
        var model = EngineFixtures.Load(name);
        var x = EngineFixtures.Read(name, "input_b1");
        var result = new DeepLiftShap().Attribute(model, x);
        int target = result.Targets[0];
        double mean = BaselineSet.Default.Members.Average(b => (double)model.Predict(b.For(x)).Data[target]);
        double expected = model.Predict(x).Data[target] - mean;
        double sum = result.Values.Data.Sum(v => (double)v);
        Assert.True(Math.Abs(sum - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"Σ = {sum}, expected {expected}");
    }

    [Fact]
    public void DeepLift_equals_input_times_gradient_difference_on_a_linear_model()
    {
        var x = new Tensor([1, 4], [0.5f, 1, -1, 2]);
        var result = new DeepLift().Attribute(LinearModel(), x, [1]);
        Assert.Equal([-0.5f, 1f, 0f, 4f], result.Values.Data);
        Assert.True(result.ConvergenceDelta![0] < 1e-6);
    }
}
