using CnnLens.Tensors;
using CnnLens.Training;

namespace CnnLens.Tests.Training;

/// <summary>Cross-entropy, SGD, Adam and the schedules against hand-derived values and PyTorch.</summary>
public class LossAndOptimizerTests
{
    [Fact]
    public void Cross_entropy_of_two_logits_matches_the_hand_computed_value()
    {
        // softmax([0, ln 3]) = [1/4, 3/4]; label 1: loss −ln(3/4), gradient (p − onehot)/N = [1/4, −1/4].
        var logits = Tensor.FromValues([1, 2], 0f, MathF.Log(3));
        var loss = SoftmaxCrossEntropy.Compute(logits, [1]);
        Assert.Equal(-Math.Log(0.75), loss.Loss, 1e-6);
        Assert.Equal(1, loss.Correct);
        Assert.Equal(0.25f, loss.Gradient.Data[0], 1e-6f);
        Assert.Equal(-0.25f, loss.Gradient.Data[1], 1e-6f);
    }

    [Fact]
    public void Cross_entropy_matches_pytorch_mean_loss_and_gradient()
    {
        var f = TrainingFixtures.Load("loss.json");
        var logits = Tensor.FromValues([3, 4], f.GetProperty("logits").Floats());
        var loss = SoftmaxCrossEntropy.Compute(logits, f.GetProperty("labels").Ints());
        Assert.Equal(f.GetProperty("loss").GetDouble(), loss.Loss, 1e-5);
        TrainingFixtures.Close(f.GetProperty("gradient").Floats(), loss.Gradient.Data, 1e-6, 1e-5, "dL/dz");
    }

    [Fact]
    public void Sgd_with_momentum_and_weight_decay_follows_the_hand_computed_steps()
    {
        // p = 1, lr 0.1, momentum 0.5, decay 0.1; gradients 2 then 2:
        // d1 = 2 + 0.1 = 2.1, b1 = 2.1, p1 = 1 − 0.21 = 0.79
        // d2 = 2 + 0.079 = 2.079, b2 = 0.5·2.1 + 2.079 = 3.129, p2 = 0.79 − 0.3129 = 0.4771
        var sgd = new SgdOptimizer(momentum: 0.5f, weightDecay: 0.1f);
        var p = new[] { 1f };
        sgd.Step("p", p, [2f], 0.1f);
        Assert.Equal(0.79f, p[0], 1e-6f);
        sgd.Step("p", p, [2f], 0.1f);
        Assert.Equal(0.4771f, p[0], 1e-6f);
    }

    [Fact]
    public void Adam_first_step_moves_each_weight_by_the_learning_rate_against_its_gradient_sign()
    {
        // Step 1: m̂ = g, v̂ = g², so p ← p − lr · g / (|g| + ε).
        var adam = new AdamOptimizer();
        var p = new[] { 1f, 1f };
        adam.Step("p", p, [0.5f, -3f], 0.01f);
        Assert.Equal(1f - 0.01f * 0.5f / (0.5f + 1e-8f), p[0], 1e-6f);
        Assert.Equal(1.01f, p[1], 1e-6f);
    }

    [Theory]
    [InlineData("sgd.json")]
    [InlineData("adam.json")]
    public void Optimizers_match_three_torch_optim_steps(string fixture)
    {
        var f = TrainingFixtures.Load(fixture);
        Optimizer optimizer = fixture == "sgd.json" ? new SgdOptimizer(0.9f, 0.01f) : new AdamOptimizer(weightDecay: 0.01f);
        float rate = fixture == "sgd.json" ? 0.1f : 0.01f;
        var p = f.GetProperty("initial").Floats();
        var gradients = f.GetProperty("gradients").EnumerateArray().Select(g => g.Floats()).ToArray();
        var steps = f.GetProperty("steps").EnumerateArray().Select(s => s.Floats()).ToArray();
        for (int step = 0; step < 3; step++)
        {
            optimizer.Step("p", p, gradients[step], rate);
            TrainingFixtures.Close(steps[step], p, 1e-6, 1e-5, $"step {step + 1}");
        }
    }

    [Fact]
    public void Schedules_give_the_hand_computed_rates()
    {
        Assert.Equal(0.1f, LearningRates.At(LearningRateSchedule.Constant, 0.1f, 7, 10));
        // Step: a third of 9 epochs = 3, so epochs 0-2 at 0.1, 3-5 at 0.01, 6-8 at 0.001.
        Assert.Equal(0.1f, LearningRates.At(LearningRateSchedule.Step, 0.1f, 2, 9), 1e-7f);
        Assert.Equal(0.01f, LearningRates.At(LearningRateSchedule.Step, 0.1f, 3, 9), 1e-7f);
        Assert.Equal(0.001f, LearningRates.At(LearningRateSchedule.Step, 0.1f, 8, 9), 1e-7f);
        // Cosine over 4 epochs: (1 + cos(πe/4))/2 = 1, 0.8536, 0.5, 0.1464.
        Assert.Equal(0.1f, LearningRates.At(LearningRateSchedule.Cosine, 0.1f, 0, 4), 1e-7f);
        Assert.Equal(0.085355f, LearningRates.At(LearningRateSchedule.Cosine, 0.1f, 1, 4), 1e-6f);
        Assert.Equal(0.05f, LearningRates.At(LearningRateSchedule.Cosine, 0.1f, 2, 4), 1e-7f);
    }

    [Fact]
    public void Invalid_optimizer_settings_are_rejected()
    {
        Assert.Throws<InvalidOptionException>(() => new SgdOptimizer(momentum: 1f));
        Assert.Throws<InvalidOptionException>(() => new AdamOptimizer(weightDecay: -1f));
        Assert.Throws<InvalidOptionException>(() => new TrainingOptions { Epochs = 0 }.Validate());
        Assert.Throws<InvalidOptionException>(() => new TrainingOptions { ValidationFraction = 1 }.Validate());
        Assert.Throws<InvalidOptionException>(() => LearningRates.Parse("linear"));
        Assert.Throws<InvalidOptionException>(() => Augmenter.Parse("crop,zoom"));
    }
}
