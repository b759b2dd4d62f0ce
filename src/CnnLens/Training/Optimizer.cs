namespace CnnLens.Training;

/// <summary>Which update rule <see cref="Trainer"/> uses.</summary>
public enum OptimizerKind
{
    Sgd,
    Adam,
}

/// <summary>
/// Updates parameters in place from their gradients, keeping per-parameter state (momentum
/// buffers, Adam moments) by name. The rules follow PyTorch's <c>torch.optim</c> step for step.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(float weightDecay)
    {
        if (!(weightDecay >= 0 && float.IsFinite(weightDecay))) throw new InvalidOptionException($"weight decay must be a non-negative number, got {weightDecay}");
        WeightDecay = weightDecay;
    }

    /// <summary>L2 penalty added to the gradient as PyTorch does: g ← g + weight_decay · p.</summary>
    public float WeightDecay { get; }

    /// <summary>One step for parameter <paramref name="name"/> with learning rate <paramref name="learningRate"/>.</summary>
    public abstract void Step(string name, float[] parameter, ReadOnlySpan<float> gradient, float learningRate);

    public static Optimizer Create(OptimizerKind kind, float momentum, float weightDecay) => kind switch
    {
        OptimizerKind.Sgd => new SgdOptimizer(momentum, weightDecay),
        _ => new AdamOptimizer(weightDecay: weightDecay),
    };
}

/// <summary>
/// torch.optim.SGD (dampening 0, no Nesterov): d = g + λp; with momentum μ the buffer starts as d and
/// then b ← μb + d; p ← p − lr · b (p ← p − lr · d without momentum).
/// </summary>
public sealed class SgdOptimizer : Optimizer
{
    private readonly Dictionary<string, float[]> _buffers = new(StringComparer.Ordinal);

    public SgdOptimizer(float momentum = 0f, float weightDecay = 0f) : base(weightDecay)
    {
        if (!(momentum >= 0 && momentum < 1)) throw new InvalidOptionException($"momentum must be in [0, 1), got {momentum}");
        Momentum = momentum;
    }

    public float Momentum { get; }

    public override void Step(string name, float[] parameter, ReadOnlySpan<float> gradient, float learningRate)
    {
        bool first = !_buffers.TryGetValue(name, out var buffer);
        if (Momentum != 0 && first) _buffers[name] = buffer = new float[parameter.Length];
        for (int i = 0; i < parameter.Length; i++)
        {
            float d = gradient[i];
            if (WeightDecay != 0) d += WeightDecay * parameter[i];
            if (Momentum != 0) d = buffer![i] = first ? d : Momentum * buffer[i] + d;
            parameter[i] -= learningRate * d;
        }
    }
}

/// <summary>
/// torch.optim.Adam (amsgrad off): g ← g + λp; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
/// p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
/// </summary>
public sealed class AdamOptimizer : Optimizer
{
    private readonly Dictionary<string, (float[] M, float[] V, int[] Step)> _state = new(StringComparer.Ordinal);

    public AdamOptimizer(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f) : base(weightDecay)
    {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new InvalidOptionException($"Adam betas must be in [0, 1), got {beta1} and {beta2}");
        if (!(epsilon > 0)) throw new InvalidOptionException($"Adam epsilon must be positive, got {epsilon}");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    public override void Step(string name, float[] parameter, ReadOnlySpan<float> gradient, float learningRate)
    {
        if (!_state.TryGetValue(name, out var state))
            _state[name] = state = (new float[parameter.Length], new float[parameter.Length], [0]);
        int step = ++state.Step[0];
        double correction1 = 1 - Math.Pow(Beta1, step), correction2 = 1 - Math.Pow(Beta2, step);
        float stepSize = (float)(learningRate / correction1), correction2Root = (float)Math.Sqrt(correction2);
        var (m, v) = (state.M, state.V);
        for (int i = 0; i < parameter.Length; i++)
        {
            float g = gradient[i];
            if (WeightDecay != 0) g += WeightDecay * parameter[i];
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            float denominator = MathF.Sqrt(v[i]) / correction2Root + Epsilon;
            parameter[i] -= stepSize * m[i] / denominator;
        }
    }
}
