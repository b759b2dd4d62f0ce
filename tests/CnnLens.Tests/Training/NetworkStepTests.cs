using System.Text.Json;
using CnnLens.Tensors;
using CnnLens.Training;

namespace CnnLens.Tests.Training;

/// <summary>
/// Two whole training steps of tiny-vgg (SGD) and the small ResNet (Adam, BatchNorm in training
/// mode) against PyTorch: loss, every weight gradient (conv, gemm, batchnorm scale and shift
/// through the engine's reverse pass), updated weights and running statistics.
/// </summary>
public class NetworkStepTests
{
    [Fact]
    public void Tiny_vgg_sgd_steps_match_pytorch() =>
        Check("tinyvgg_sgd.json", Network.Create(Architecture.TinyVgg, 3, 20, 20, 3, seed: 1, baseChannels: 2),
            new SgdOptimizer(0.9f, 5e-4f));

    [Fact]
    public void ResNet_adam_steps_with_batch_norm_training_match_pytorch() =>
        Check("resnet_adam.json", Network.Create(Architecture.ResNet, 1, 8, 8, 3, seed: 1, baseChannels: 2),
            new AdamOptimizer(weightDecay: 1e-4f));

    private static void Check(string fixture, Network network, Optimizer optimizer)
    {
        var f = TrainingFixtures.Load(fixture);
        var initial = f.GetProperty("initial");
        Assert.Equal(initial.EnumerateObject().Select(p => p.Name).Order(), network.Parameters.Keys.Order());
        foreach (var p in initial.EnumerateObject()) p.Value.Floats().CopyTo(network.Parameters[p.Name].Data, 0);

        var step = new TrainingStep(network, optimizer);
        float rate = f.GetProperty("learning_rate").GetSingle();
        var losses = f.GetProperty("losses").EnumerateArray().Select(l => l.GetDouble()).ToArray();
        int index = 0;
        foreach (var batch in f.GetProperty("batches").EnumerateArray())
        {
            var input = Tensor.FromValues(batch.GetProperty("shape").Ints(), batch.GetProperty("input").Floats());
            var loss = step.Run(input, batch.GetProperty("labels").Ints(), rate);
            Assert.Equal(losses[index], loss.Loss, 1e-5);
            if (index == 0)
                foreach (var g in f.GetProperty("first_gradients").EnumerateObject())
                    TrainingFixtures.Close(g.Value.Floats(), step.LastGradients![g.Name].Data, 2e-6, 2e-4, $"d loss / d {g.Name}");
            index++;
        }
        foreach (var p in f.GetProperty("final").EnumerateObject())
            TrainingFixtures.Close(p.Value.Floats(), network.Parameters[p.Name].Data, 2e-6, 2e-4, p.Name);
    }
}
