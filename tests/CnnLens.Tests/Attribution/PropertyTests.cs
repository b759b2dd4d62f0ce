using CnnLens.Attribution;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution;

/// <summary>Properties the definitions guarantee, on the fixture models.</summary>
public class PropertyTests
{
    public static IEnumerable<object[]> Models => EngineFixtures.Names;

    [Theory]
    [InlineData("lenet")]
    [InlineData("resnet18")]
    [InlineData("mobilenet_v2")]
    public void Integrated_gradients_completeness_error_shrinks_with_steps_and_falls_below_one_percent(string model)
    {
        var m = EngineFixtures.Load(model);
        var x = EngineFixtures.Read(model, "input_b1");
        double Delta(int steps, IntegrationRule rule) =>
            new IntegratedGradients(new IntegratedGradientsOptions { Steps = steps, Rule = rule, BatchSize = 64 }).Attribute(m, x).ConvergenceDelta![0];
        Assert.True(Delta(100, IntegrationRule.GaussLegendre) < Delta(5, IntegrationRule.GaussLegendre));
        var logits = m.Predict(CnnLens.Tensors.Batch.Concat(x, new CnnLens.Tensors.Tensor(x.ShapeArray)));
        int target = Targets.TopOne(CnnLens.Tensors.Batch.Slice(logits, 0, 1))[0];
        double change = Math.Abs(logits.Data[target] - logits.Data[logits.Dim(1) + target]);
        Assert.True(Delta(1000, IntegrationRule.RiemannMiddle) < 0.01 * change);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void DeepLift_sums_exactly_to_the_change_of_the_target_logit(string model)
    {
        var m = EngineFixtures.Load(model);
        var x = EngineFixtures.Read(model, "input_b4");
        var result = new DeepLift().Attribute(m, x);
        var logits = m.Predict(x);
        for (int n = 0; n < x.Dim(0); n++)
            Assert.True(result.ConvergenceDelta![n] <= 1e-4 * Math.Max(1, Compare.MaxAbs(logits.Data)), $"{model} image {n}: delta {result.ConvergenceDelta[n]}");
    }

    [Theory]
    [InlineData("lenet")]
    [InlineData("resnet18")]
    [InlineData("vgg11_bn")]
    [InlineData("squeezenet1_1")]
    public void Guided_backprop_is_never_negative_at_the_input_of_a_relu_network_whose_first_op_is_a_rectified_layer(string model)
    {
        // The input feeds only convolutions followed by rectifiers, so with a positive seed the
        // gradient leaving the first rectifier is ≥ 0; the first linear layer then mixes signs.
        // What must hold exactly is at the first rectifier's input: check there.
        var m = EngineFixtures.Load(model);
        var x = EngineFixtures.Read(model, "input_b1");
        var firstRelu = m.Graph.Nodes.First(n => n.OpType == "Relu");
        var values = m.Executor.RunAll(x);
        var logits = values[m.Graph.SlotOf(m.LogitsName)]!;
        var seed = Targets.OneHotSeed(logits, Targets.TopOne(logits));
        var gradient = CnnLens.Graph.ReversePass.Run(m.Graph, values, m.LogitsName, seed, [firstRelu.Inputs[0]], RectifierRule.Guided.Composite)[firstRelu.Inputs[0]];
        Assert.All(gradient.Data, g => Assert.True(g >= 0));
        Assert.Contains(gradient.Data, g => g > 0);
    }

    [Fact]
    public void SmoothGrad_is_reproducible_and_independent_of_batch_size()
    {
        var m = EngineFixtures.Load("lenet");
        var x = EngineFixtures.Read("lenet", "input_b4");
        var a = NoiseTunnel.SmoothGrad(null, new NoiseTunnelOptions { Samples = 6, Seed = 3, BatchSize = 1 }).Attribute(m, x);
        var b = NoiseTunnel.SmoothGrad(null, new NoiseTunnelOptions { Samples = 6, Seed = 3, BatchSize = 24 }).Attribute(m, x);
        var c = NoiseTunnel.SmoothGrad(null, new NoiseTunnelOptions { Samples = 6, Seed = 4, BatchSize = 24 }).Attribute(m, x);
        Compare.RelativeToLargest(a.Values.Data, b.Values.Data, 1e-6);
        Assert.True(Compare.MaxAbsDifference(a.Values.Data, c.Values.Data) > 1e-4, "another seed gives other noise");
    }

    [Fact]
    public void SmoothGrad_with_zero_noise_is_saliency_and_vargrad_is_zero()
    {
        var m = EngineFixtures.Load("lenet");
        var x = EngineFixtures.Read("lenet", "input_b1");
        var saliency = new Saliency().Attribute(m, x);
        var smooth = NoiseTunnel.SmoothGrad(null, new NoiseTunnelOptions { Samples = 3, Noise = 0 }).Attribute(m, x);
        var variance = NoiseTunnel.VarGrad(null, new NoiseTunnelOptions { Samples = 3, Noise = 0 }).Attribute(m, x);
        Compare.RelativeToLargest(saliency.Values.Data, smooth.Values.Data, 1e-6);
        Assert.True(Compare.MaxAbs(variance.Values.Data) <= 1e-6 * Compare.MaxAbs(saliency.Values.Data) + 1e-12);
    }
}
