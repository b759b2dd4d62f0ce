using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tests.Kernels;

namespace CnnLens.Tests.Training;

/// <summary>BatchNormalization with training_mode = 1: batch statistics by hand, gradients by finite differences.</summary>
public class BatchNormTrainingModeTests
{
    private static BatchNormalizationOperator Training(float epsilon = 0f) =>
        new(TestTensors.Attributes(("epsilon", epsilon), ("momentum", 0.75f), ("training_mode", 1L)), 15);

    [Fact]
    public void Normalises_with_the_batch_statistics_and_updates_the_running_ones()
    {
        // One channel holding 1, 3 (batch 2, one position each): mean 2, biased variance 1.
        var x = Tensor.FromValues([2, 1, 1], 1, 3);
        var outputs = Training().Forward([x, Tensor.FromValues([1], 2), Tensor.FromValues([1], 5),
            Tensor.FromValues([1], 10), Tensor.FromValues([1], 4)]);
        Assert.Equal(3, outputs.Length);
        Assert.Equal(new float[] { 3, 7 }, outputs[0].Data); // 2·(∓1) + 5
        Assert.Equal(0.75f * 10 + 0.25f * 2, outputs[1].Data[0], 1e-6f);
        Assert.Equal(0.75f * 4 + 0.25f * 1, outputs[2].Data[0], 1e-6f);
    }

    [Fact]
    public void Gradients_through_the_batch_statistics_match_finite_differences()
    {
        var random = new Random(3);
        Tensor Random(params int[] shape)
        {
            var t = new Tensor(shape);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(random.NextDouble() * 2 - 1);
            return t;
        }
        var inputs = new Tensor?[] { Random(3, 2, 2, 2), Random(2), Random(2), Random(2), Tensor.Filled([2], 1f) };
        // L = Σ w·Y; the running statistics are buffers, not differentiated (as in PyTorch).
        var op = Training(1e-3f);
        var w = Random(3, 2, 2, 2);
        double Loss(Tensor?[] values)
        {
            var y = op.Forward(values)[0];
            double total = 0;
            for (int i = 0; i < y.Length; i++) total += (double)w.Data[i] * y.Data[i];
            return total;
        }
        var outputs = op.Forward(inputs);
        var analytic = op.Backward(inputs, outputs, [w, null, null]);
        const double h = 1e-2;
        foreach (int index in new[] { 0, 1, 2 })
            for (int i = 0; i < inputs[index]!.Length; i++)
            {
                var plus = (Tensor?[])inputs.Clone();
                var minus = (Tensor?[])inputs.Clone();
                plus[index] = inputs[index]!.Clone();
                minus[index] = inputs[index]!.Clone();
                plus[index]!.Data[i] += (float)h;
                minus[index]!.Data[i] -= (float)h;
                double numeric = (Loss(plus) - Loss(minus)) / (2 * h);
                Assert.True(Math.Abs(analytic[index]!.Data[i] - numeric) <= 3e-3 + 2e-2 * Math.Abs(numeric),
                    $"input {index} element {i}: analytic {analytic[index]!.Data[i]}, numeric {numeric}");
            }
        Assert.Null(analytic[3]);
        Assert.Null(analytic[4]);
    }

    [Fact]
    public void Per_position_statistics_are_rejected_in_training_mode() =>
        Assert.Throws<UnsupportedOperatorException>(() =>
            new BatchNormalizationOperator(TestTensors.Attributes(("spatial", 0L), ("training_mode", 1L)), 8));
}
