using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Tests.Kernels;

/// <summary>
/// Checks an operator's vector-Jacobian product against central finite differences of a random
/// linear functional L = sum(r * output), evaluated in double from float32 forwards.
/// </summary>
internal static class GradientCheck
{
    public static void Verify(Operator op, Tensor?[] inputs, int[] differentiable, int seed = 7,
        double step = 1e-2, double absoluteTolerance = 2e-3, double relativeTolerance = 1e-2)
    {
        var outputs = op.Forward(inputs);
        var random = new Random(seed);
        var weights = new Tensor(outputs[0].ShapeArray);
        for (int i = 0; i < weights.Length; i++) weights.Data[i] = (float)(random.NextDouble() * 2 - 1);
        var outputGradients = new Tensor?[outputs.Length];
        outputGradients[0] = weights;
        var gradients = op.Backward(inputs, outputs, outputGradients);
        Assert.Equal(inputs.Length, gradients.Length);
        foreach (int index in differentiable)
        {
            var input = inputs[index]!;
            var gradient = gradients[index];
            Assert.NotNull(gradient);
            Assert.Equal(input.ShapeArray, gradient!.ShapeArray);
            for (int i = 0; i < input.Length; i++)
            {
                // Perturbed copies, not in-place edits: operators cache packed weights by tensor reference.
                double plus = Functional(op, Perturbed(inputs, index, i, step), weights);
                double minus = Functional(op, Perturbed(inputs, index, i, -step), weights);
                double numeric = (plus - minus) / (2 * step);
                double analytic = gradient.Data[i];
                Assert.True(Math.Abs(numeric - analytic) <= absoluteTolerance + relativeTolerance * Math.Abs(numeric),
                    $"input {index} element {i}: backward gives {analytic}, finite differences give {numeric}");
            }
        }
    }

    private static Tensor?[] Perturbed(Tensor?[] inputs, int index, int element, double delta)
    {
        var copy = (Tensor?[])inputs.Clone();
        var changed = inputs[index]!.Clone();
        changed.Data[element] = (float)(changed.Data[element] + delta);
        copy[index] = changed;
        return copy;
    }

    private static double Functional(Operator op, Tensor?[] inputs, Tensor weights)
    {
        var output = op.Forward(inputs)[0];
        double sum = 0;
        for (int i = 0; i < output.Length; i++) sum += (double)output.Data[i] * weights.Data[i];
        return sum;
    }
}
