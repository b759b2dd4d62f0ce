using System.Runtime.Intrinsics;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// Adam (Kingma and Ba) with PyTorch's update rule (<c>torch.optim.Adam</c>, no weight decay):
/// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², then
/// p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε). Minimises: pass the gradient of a loss.
/// </summary>
public sealed unsafe class AdamOptimizer(int length, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly double[] _first = new double[length];
    private readonly double[] _second = new double[length];

    /// <summary>Steps taken so far.</summary>
    public int StepCount { get; private set; }

    public double LearningRate { get; } = learningRate > 0 && double.IsFinite(learningRate) ? learningRate
        : throw new InvalidOptionException($"learning rate must be a positive number, got {learningRate}");

    /// <summary>One update of <paramref name="parameters"/> in place from the loss gradient <paramref name="gradient"/>.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        if (parameters.Length != _first.Length || gradient.Length != _first.Length)
            throw new ShapeMismatchException($"Adam holds {_first.Length} parameters, got {parameters.Length} and a gradient of {gradient.Length}");
        StepCount++;
        double correction1 = 1 - Math.Pow(beta1, StepCount), sqrtCorrection2 = Math.Sqrt(1 - Math.Pow(beta2, StepCount));
        double stepSize = LearningRate / correction1;
        var rule = new Rule(beta1, beta2, epsilon, stepSize, sqrtCorrection2);
        fixed (double* first = _first, second = _second)
        fixed (float* p = parameters)
        fixed (float* g = gradient)
        {
            // Elementwise, so blocks of parameters split over threads give the same numbers.
            nint pp = (nint)p, gp = (nint)g, mp = (nint)first, vp = (nint)second;
            int blocks = (parameters.Length + Block - 1) / Block, length = parameters.Length;
            Parallelism.For(blocks, (start, end) =>
                Update(rule, (float*)pp, (float*)gp, (double*)mp, (double*)vp, start * Block, Math.Min(end * Block, length)), costPerItem: 20.0 * Block);
        }
    }

    /// <summary>Parameters per parallel piece (a multiple of the vector width).</summary>
    private const int Block = 8192;

    private readonly record struct Rule(double Beta1, double Beta2, double Epsilon, double StepSize, double SqrtCorrection2);

    private static void Update(Rule rule, float* parameters, float* gradient, double* first, double* second, int from, int to)
    {
        int i = from;
        if (Vector512.IsHardwareAccelerated)
        {
            // The same double-precision operations in the same order as the scalar loop, 16 parameters at a time.
            var b1 = Vector512.Create(rule.Beta1);
            var b2 = Vector512.Create(rule.Beta2);
            var c1 = Vector512.Create(1 - rule.Beta1);
            var c2 = Vector512.Create(1 - rule.Beta2);
            var root2 = Vector512.Create(rule.SqrtCorrection2);
            var eps = Vector512.Create(rule.Epsilon);
            var size = Vector512.Create(rule.StepSize);
            for (; i <= to - 16; i += 16)
            {
                var (gLow, gHigh) = Vector512.Widen(Vector512.Load(gradient + i));
                var (pLow, pHigh) = Vector512.Widen(Vector512.Load(parameters + i));
                var low = Half(first + i, second + i, gLow, pLow);
                var high = Half(first + i + 8, second + i + 8, gHigh, pHigh);
                Vector512.Narrow(low, high).Store(parameters + i);
            }

            Vector512<double> Half(double* m, double* v, Vector512<double> g, Vector512<double> parameter)
            {
                var mNew = b1 * Vector512.Load(m) + c1 * g;
                var vNew = b2 * Vector512.Load(v) + c2 * g * g;
                mNew.Store(m);
                vNew.Store(v);
                return parameter - size * mNew / (Vector512.Sqrt(vNew) / root2 + eps);
            }
        }
        for (; i < to; i++)
        {
            double g = gradient[i];
            first[i] = rule.Beta1 * first[i] + (1 - rule.Beta1) * g;
            second[i] = rule.Beta2 * second[i] + (1 - rule.Beta2) * g * g;
            double denominator = Math.Sqrt(second[i]) / rule.SqrtCorrection2 + rule.Epsilon;
            parameters[i] = (float)(parameters[i] - rule.StepSize * first[i] / denominator);
        }
    }
}
