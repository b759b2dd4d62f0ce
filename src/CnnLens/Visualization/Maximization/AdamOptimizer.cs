using System.Runtime.Intrinsics;

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
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // The same double-precision operations in the same order, 16 parameters at a time.
            var b1 = Vector512.Create(beta1);
            var b2 = Vector512.Create(beta2);
            var c1 = Vector512.Create(1 - beta1);
            var c2 = Vector512.Create(1 - beta2);
            var root2 = Vector512.Create(sqrtCorrection2);
            var eps = Vector512.Create(epsilon);
            var size = Vector512.Create(stepSize);
            fixed (double* first = _first, second = _second)
            fixed (float* p = parameters)
            fixed (float* gp = gradient)
            {
                for (; i <= parameters.Length - 16; i += 16)
                {
                    var (gLow, gHigh) = Vector512.Widen(Vector512.Load(gp + i));
                    var (pLow, pHigh) = Vector512.Widen(Vector512.Load(p + i));
                    var low = Update(first + i, second + i, gLow, pLow);
                    var high = Update(first + i + 8, second + i + 8, gHigh, pHigh);
                    Vector512.Narrow(low, high).Store(p + i);
                }
            }

            Vector512<double> Update(double* m, double* v, Vector512<double> g, Vector512<double> parameter)
            {
                var mNew = b1 * Vector512.Load(m) + c1 * g;
                var vNew = b2 * Vector512.Load(v) + c2 * g * g;
                mNew.Store(m);
                vNew.Store(v);
                return parameter - size * mNew / (Vector512.Sqrt(vNew) / root2 + eps);
            }
        }
        for (; i < parameters.Length; i++)
        {
            double g = gradient[i];
            _first[i] = beta1 * _first[i] + (1 - beta1) * g;
            _second[i] = beta2 * _second[i] + (1 - beta2) * g * g;
            double denominator = Math.Sqrt(_second[i]) / sqrtCorrection2 + epsilon;
            parameters[i] = (float)(parameters[i] - stepSize * _first[i] / denominator);
        }
    }
}
