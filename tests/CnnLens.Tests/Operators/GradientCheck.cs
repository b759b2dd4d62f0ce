using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Tests.Operators;

/// <summary>
/// Checks an operator's Backward against central finite differences. The scalar is a random linear
/// functional of all float outputs, L = Σ_k Σ_i w_k[i]·y_k[i], accumulated in double; the analytic
/// gradient is Backward(w) and the numeric one (L(x+h) − L(x−h)) / 2h for every element of every
/// checked input. Reusable by any operator test: pass the operator, its inputs and which inputs
/// to check.
/// </summary>
public static class GradientCheck
{
    /// <param name="op">The operator under test.</param>
    /// <param name="inputs">Its inputs (never modified; perturbations work on copies).</param>
    /// <param name="checkedInputs">Indices of the inputs whose gradient is checked.</param>
    /// <param name="seed">Seed of the random functional.</param>
    /// <param name="step">Finite-difference step h (float32 forward passes need h around 1e-2).</param>
    /// <param name="tolerance">Allowed |analytic − numeric| relative to max(1, |numeric|).</param>
    public static void Check(Operator op, Tensor?[] inputs, int[] checkedInputs, int seed = 7, double step = 1e-2, double tolerance = 2e-2) =>
        Verify(op, inputs, checkedInputs, seed, step, tolerance, tolerance);

    /// <summary>
    /// The same check with separate tolerances: |analytic − numeric| ≤ absolute + relative·|numeric|.
    /// (Same signature as the convolution tests' helper, so both sets of tests can share this one.)
    /// </summary>
    public static void Verify(Operator op, Tensor?[] inputs, int[] checkedInputs, int seed = 7,
        double step = 1e-2, double absoluteTolerance = 2e-3, double relativeTolerance = 1e-2)
    {
        var outputs = op.Forward(inputs);
        var rng = new Random(seed);
        var weights = new Tensor?[outputs.Length];
        for (int k = 0; k < outputs.Length; k++)
        {
            if (outputs[k].DataType != TensorDataType.Float32) continue;
            var w = new Tensor(outputs[k].ShapeArray);
            for (int i = 0; i < w.Length; i++) w.Data[i] = (float)(rng.NextDouble() * 2 - 1);
            weights[k] = w;
        }
        var analytic = op.Backward(inputs, outputs, weights);
        Assert.Equal(inputs.Length, analytic.Length);
        foreach (int index in checkedInputs)
        {
            var x = inputs[index]!;
            var gradient = analytic[index];
            Assert.True(gradient is not null, $"input {index} has no gradient");
            Assert.Equal(x.ShapeArray, gradient!.ShapeArray);
            for (int i = 0; i < x.Length; i++)
            {
                double plus = Functional(op, inputs, index, i, +step, weights);
                double minus = Functional(op, inputs, index, i, -step, weights);
                double numeric = (plus - minus) / (2 * step);
                double error = Math.Abs(gradient.Data[i] - numeric);
                Assert.True(error <= absoluteTolerance + relativeTolerance * Math.Abs(numeric),
                    $"{op.GetType().Name} input {index} element {i}: analytic {gradient.Data[i]}, numeric {numeric}");
            }
        }
    }

    private static double Functional(Operator op, Tensor?[] inputs, int index, int element, double delta, Tensor?[] weights)
    {
        var perturbed = (Tensor?[])inputs.Clone();
        var copy = inputs[index]!.Clone();
        copy.Data[element] = (float)(copy.Data[element] + delta);
        perturbed[index] = copy;
        var outputs = op.Forward(perturbed);
        double total = 0;
        for (int k = 0; k < outputs.Length; k++)
        {
            if (weights[k] is not { } w) continue;
            for (int i = 0; i < w.Length; i++) total += (double)w.Data[i] * outputs[k].Data[i];
        }
        return total;
    }
}
