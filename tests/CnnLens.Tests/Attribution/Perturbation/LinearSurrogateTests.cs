using CnnLens.Attribution.Perturbation;
using CnnLens.Tensors;

namespace CnnLens.Tests.Attribution.Perturbation;

/// <summary>lime and kernel-shap against closed forms: a model linear in the features is fitted exactly.</summary>
public class LinearSurrogateTests
{
    /// <summary>c_k = Σ_{p in feature k} w[t,p]·x[p], summed by hand from the model's weights.</summary>
    private static double[] FeatureContributions(Tensor x, int target)
    {
        var c = new double[5];
        for (int p = 0; p < 16; p++) c[SamplingModels.FiveFeatures[p]] += SamplingModels.Weight(target, p) * (double)x.Data[p];
        return c;
    }

    private static void AssertMap(double[] perFeature, Tensor values, double tolerance)
    {
        Assert.Equal([1, 4, 4], values.ShapeArray);
        for (int p = 0; p < 16; p++)
            Assert.True(Math.Abs(values.Data[p] - perFeature[SamplingModels.FiveFeatures[p]]) <= tolerance,
                $"pixel {p}: {values.Data[p]} vs {perFeature[SamplingModels.FiveFeatures[p]]}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Lime_without_ridge_recovers_the_coefficients_of_a_linear_model(int target)
    {
        var x = SamplingModels.LinearInput();
        var options = new LimeOptions { Samples = 60, Ridge = 0, Features = SamplingModels.FiveFeatureSource, Seed = 3 };
        var result = new Lime(options).Attribute(SamplingModels.Linear(), x, [target]);
        AssertMap(FeatureContributions(x, target), result.Values, 1e-5);
        Assert.True(result.SurrogateRSquared![0] > 1 - 1e-9, $"R² {result.SurrogateRSquared[0]}");
    }

    [Fact]
    public void Lime_ridge_shrinks_the_coefficients_towards_zero()
    {
        // A ridge penalty makes the coefficient vector shorter than the exact least-squares one (it is not per-coefficient).
        var x = SamplingModels.LinearInput();
        double exactNorm = Math.Sqrt(FeatureContributions(x, 0).Sum(c => c * c));
        var result = new Lime(new LimeOptions { Samples = 60, Ridge = 5, Features = SamplingModels.FiveFeatureSource }).Attribute(SamplingModels.Linear(), x, [0]);
        var perFeature = new double[5];
        for (int p = 0; p < 16; p++) perFeature[SamplingModels.FiveFeatures[p]] = result.Values.Data[p];
        double norm = Math.Sqrt(perFeature.Sum(c => c * c));
        Assert.True(norm < exactNorm && norm > 0, $"|β| = {norm}, exact {exactNorm}");
        Assert.InRange(result.SurrogateRSquared![0], 0, 1 - 1e-6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Kernel_shap_gives_the_exact_shapley_values_of_a_linear_model(int target)
    {
        var x = SamplingModels.LinearInput();
        var options = new KernelShapOptions { Samples = 40, Features = SamplingModels.FiveFeatureSource, Seed = 9 };
        var result = new KernelShap(options).Attribute(SamplingModels.Linear(), x, [target]);
        AssertMap(FeatureContributions(x, target), result.Values, 1e-5);
        Assert.True(result.SurrogateRSquared![0] > 1 - 1e-9);
    }

    [Fact]
    public void Kernel_shap_splits_the_output_change_exactly_and_approaches_the_shapley_values_of_an_interacting_model()
    {
        var model = SamplingModels.Interacting();
        var x = SamplingModels.InteractingInput();
        var mask = FeatureMask.Grid(2, 2, 1, 1);
        var exact = SamplingModels.ExactShapley(model, x, mask, 0);
        var result = new KernelShap(new KernelShapOptions { Samples = 3000, Features = FeatureMaskSource.Grid(1, 1), Seed = 1 }).Attribute(model, x, [0]);
        double change = SamplingModels.Value(model, x, mask, 15, 0) - SamplingModels.Value(model, x, mask, 0, 0);
        Assert.Equal(change, result.Values.Data.Sum(v => (double)v), 5);
        double largest = exact.Max(Math.Abs);
        for (int k = 0; k < 4; k++) Assert.True(Math.Abs(result.Values.Data[k] - exact[k]) < 0.05 * largest, $"φ{k} = {result.Values.Data[k]} vs exact {exact[k]}");
        Assert.InRange(result.SurrogateRSquared![0], 0, 1 - 1e-6); // the interaction leaves a residual
    }
}
