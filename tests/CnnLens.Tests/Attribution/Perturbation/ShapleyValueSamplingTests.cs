using CnnLens.Attribution.Perturbation;

namespace CnnLens.Tests.Attribution.Perturbation;

public class ShapleyValueSamplingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void All_permutations_give_the_exact_shapley_values_of_an_interacting_model(int target)
    {
        var model = SamplingModels.Interacting();
        var x = SamplingModels.InteractingInput();
        var exact = SamplingModels.ExactShapley(model, x, FeatureMask.Grid(2, 2, 1, 1), target);
        Assert.True(exact.Max() - exact.Min() > 0.1, "the reference should not be trivial");
        var result = new ShapleyValueSampling(new ShapleySamplingOptions { Samples = 24, Features = FeatureMaskSource.Grid(1, 1), BatchSize = 5 }).Attribute(model, x, [target]);
        Assert.Equal([1, 2, 2], result.Values.ShapeArray);
        for (int k = 0; k < 4; k++) Assert.Equal(exact[k], result.Values.Data[k], 5);
    }

    [Fact]
    public void Sampled_permutations_still_split_the_output_change_exactly()
    {
        var model = SamplingModels.Interacting();
        var x = SamplingModels.InteractingInput();
        var mask = FeatureMask.Grid(2, 2, 1, 1);
        var exact = SamplingModels.ExactShapley(model, x, mask, 0);
        var result = new ShapleyValueSampling(new ShapleySamplingOptions { Samples = 5, Features = FeatureMaskSource.Grid(1, 1), Seed = 4 }).Attribute(model, x, [0]);
        double change = SamplingModels.Value(model, x, mask, 15, 0) - SamplingModels.Value(model, x, mask, 0, 0);
        Assert.Equal(change, result.Values.Data.Sum(v => (double)v), 5);
        Assert.Contains(Enumerable.Range(0, 4), k => Math.Abs(result.Values.Data[k] - exact[k]) > 1e-3); // 5 of 24 orders: an estimate
    }

    [Fact]
    public void A_linear_model_gets_its_feature_contributions_from_any_permutation()
    {
        var x = SamplingModels.LinearInput();
        var result = new ShapleyValueSampling(new ShapleySamplingOptions { Samples = 2, Features = SamplingModels.FiveFeatureSource, Seed = 8 })
            .Attribute(SamplingModels.Linear(), x, [1]);
        var c = new double[5];
        for (int p = 0; p < 16; p++) c[SamplingModels.FiveFeatures[p]] += SamplingModels.Weight(1, p) * (double)x.Data[p];
        for (int p = 0; p < 16; p++) Assert.Equal(c[SamplingModels.FiveFeatures[p]], result.Values.Data[p], 5);
    }
}
