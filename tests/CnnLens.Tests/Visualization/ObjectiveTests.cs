using CnnLens.Reports;
using CnnLens.Tensors;
using CnnLens.Tests.Support;
using CnnLens.Visualization.Maximization;

namespace CnnLens.Tests.Visualization;

/// <summary>Objectives (hand values, gradients by finite differences) and Adam (against torch.optim.Adam).</summary>
public class ObjectiveTests
{
    private static readonly Graph.Model Model = StripeDetectorModel.Load();

    private static (double[] Values, Tensor Seed) Evaluate(MaximizationObjective objective, string layer, Tensor activation)
    {
        var seeds = new GradientSeeds();
        var values = objective.Evaluate(Model, new Dictionary<string, Tensor> { [layer] = activation }, seeds, 1.0);
        return (values, seeds.Seeds[layer]);
    }

    [Fact]
    public void Adam_follows_torch_optim_adam()
    {
        var start = NpyFile.Read(RepositoryPaths.Fixture("maximization", "adam_start.npy")).Data;
        var gradients = NpyFile.Read(RepositoryPaths.Fixture("maximization", "adam_gradients.npy"));
        var expected = NpyFile.Read(RepositoryPaths.Fixture("maximization", "adam_steps.npy"));
        var parameters = (float[])start.Clone();
        var adam = new AdamOptimizer(3, 0.1);
        for (int step = 0; step < gradients.Dim(0); step++)
        {
            adam.Step(parameters, gradients.Data.AsSpan(step * 3, 3));
            for (int i = 0; i < 3; i++) Assert.Equal(expected.Data[step * 3 + i], parameters[i], 1e-6);
        }
        // First step by hand: m̂ = g, v̂ = g², so p moves by lr·sign(g): 1 − 0.1 = 0.9.
        Assert.Equal(0.9f, expected.Data[0], 1e-6);
    }

    [Fact]
    public void Adam_on_many_parameters_follows_torch_optim_adam_in_every_position()
    {
        // Adam acts per parameter: the three torch trajectories tiled 13 times (39 = two 16-wide vectors and a tail) must each hold.
        var start = NpyFile.Read(RepositoryPaths.Fixture("maximization", "adam_start.npy")).Data;
        var gradients = NpyFile.Read(RepositoryPaths.Fixture("maximization", "adam_gradients.npy"));
        var expected = NpyFile.Read(RepositoryPaths.Fixture("maximization", "adam_steps.npy"));
        const int count = 39;
        var parameters = Enumerable.Range(0, count).Select(i => start[i % 3]).ToArray();
        var adam = new AdamOptimizer(count, 0.1);
        for (int step = 0; step < gradients.Dim(0); step++)
        {
            var gradient = Enumerable.Range(0, count).Select(i => gradients.Data[step * 3 + i % 3]).ToArray();
            adam.Step(parameters, gradient);
            for (int i = 0; i < count; i++) Assert.Equal(expected.Data[step * 3 + i % 3], parameters[i], 1e-6);
        }
    }

    [Fact]
    public void Channel_objective_is_the_channel_mean_and_neuron_one_position()
    {
        var activation = new Tensor([1, 2, 2, 2], [1, 2, 3, 4, 10, 20, 30, 40]);
        var (channel, channelSeed) = Evaluate(MaximizationObjective.Channel("features", 1), "features", activation);
        Assert.Equal(25, channel[0], 1e-9);
        Assert.Equal([0f, 0, 0, 0, 0.25f, 0.25f, 0.25f, 0.25f], channelSeed.Data);
        var (neuron, neuronSeed) = Evaluate(MaximizationObjective.Neuron("features", 1, 1, 0), "features", activation);
        Assert.Equal(30, neuron[0], 1e-9);
        Assert.Equal([0f, 0, 0, 0, 0, 0, 1, 0], neuronSeed.Data);
    }

    [Fact]
    public void Weighted_objective_adds_weighted_terms()
    {
        var activation = new Tensor([1, 2, 1, 2], [1, 3, 10, 20]);
        var mix = new WeightedObjective([(2.0, MaximizationObjective.Channel("features", 0)), (-0.5, MaximizationObjective.Channel("features", 1))]);
        var (values, seed) = Evaluate(mix, "features", activation);
        Assert.Equal(2 * 2 - 0.5 * 15, values[0], 1e-9);
        Assert.Equal([1f, 1f, -0.25f, -0.25f], seed.Data);
    }

    [Fact]
    public void Diversity_is_minus_the_gram_cosine_between_images()
    {
        // Image 0 uses only channel 0, image 1 only channel 1: orthogonal Gram matrices, similarity 0.
        var disjoint = new Tensor([2, 2, 1, 2], [1, 2, 0, 0, 0, 0, 3, 1]);
        Assert.Equal([0.0, 0.0], Evaluate(new DiversityObjective("features"), "features", disjoint).Values);
        // Proportional activations: cosine 1, each image gets −(1/2)·1.
        var same = new Tensor([2, 2, 1, 2], [1, 2, 3, 4, 2, 4, 6, 8]);
        var values = Evaluate(new DiversityObjective("features"), "features", same).Values;
        Assert.Equal(-0.5, values[0], 1e-6);
        Assert.Equal(-0.5, values[1], 1e-6);
    }

    [Fact]
    public void Diversity_gradient_matches_finite_differences()
    {
        var random = new Random(9);
        var point = Enumerable.Range(0, 3 * 4 * 3 * 2).Select(_ => (float)random.NextDouble()).ToArray();
        int[] shape = [3, 4, 3, 2];
        var (_, seed) = Evaluate(new DiversityObjective("features"), "features", new Tensor(shape, point));
        FiniteDifferences.Check(point,
            p => [(float)Evaluate(new DiversityObjective("features"), "features", new Tensor(shape, p)).Values.Sum()],
            r => seed.Data.Select(g => g * r[0]).ToArray(),
            step: 1e-3, absoluteTolerance: 2e-3, relativeTolerance: 2e-2);
    }

    [Fact]
    public void Layer_norm_gradient_is_the_normalised_activation()
    {
        var activation = new Tensor([1, 1, 1, 2], [3, 4]);
        var (values, seed) = Evaluate(new LayerNormObjective("features"), "features", activation);
        Assert.Equal(5, values[0], 1e-9);
        Assert.Equal([0.6f, 0.8f], seed.Data);
    }

    [Fact]
    public void Class_objective_gradient_reaches_the_input_through_the_engine()
    {
        // logit 0 = mean of relu(conv channel 0); d/dx by the engine equals finite differences of the model.
        var random = new Random(11);
        var point = Enumerable.Range(0, 3 * 32 * 32).Select(_ => (float)random.NextDouble()).ToArray();
        int[] shape = [1, 3, 32, 32];
        var objective = MaximizationObjective.Class(0);
        var (_, gradient) = ObjectiveGradient.Compute(Model, new Tensor(shape, point), objective);
        FiniteDifferences.Check(point,
            p => [(float)ObjectiveGradient.Check(Model, new Tensor(shape, p), objective)[0]],
            r => gradient.Data.Select(g => g * r[0]).ToArray(),
            step: 1e-2, absoluteTolerance: 1e-4, relativeTolerance: 2e-2, maxCoordinates: 40);
    }
}
