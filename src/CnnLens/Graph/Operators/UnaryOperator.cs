using System.Runtime.CompilerServices;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Base of the one-input, one-output elementwise operators: subclasses give the forward map and
/// the input gradient from (x, y, dy).
/// </summary>
public abstract class UnaryOperator : Operator
{
    protected abstract string OpType { get; }

    public override Tensor[] Forward(Tensor?[] inputs) => [Apply(OperatorInputs.Required(inputs, 0, OpType))];

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        if (g is null) return [null];
        return [InputGradient(OperatorInputs.Required(inputs, 0, OpType), outputs[0], g)];
    }

    protected abstract Tensor Apply(Tensor x);

    protected abstract Tensor InputGradient(Tensor x, Tensor y, Tensor outputGradient);

    /// <summary>dx[i] = TOp(x[i], y[i], dy[i]) over the whole tensor, in parallel for long ones.</summary>
    protected static Tensor MapGradient<TOp>(Tensor x, Tensor y, Tensor g) where TOp : IGradientOperation
    {
        var result = new Tensor(x.ShapeArray);
        float[] xs = x.Data, ys = y.Data, gs = g.Data, rs = result.Data;
        Elementwise.Parallel(rs.Length, (s, e) => GradientLoop<TOp>(xs, ys, gs, rs, s, e));
        return result;
    }

    // Optimised on first call: a reverse pass may run only a few times, too few for tiered JIT.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientLoop<TOp>(float[] xs, float[] ys, float[] gs, float[] rs, int start, int end) where TOp : IGradientOperation
    {
        for (int i = start; i < end; i++) rs[i] = TOp.Invoke(xs[i], ys[i], gs[i]);
    }
}

/// <summary>An elementwise gradient rule dx = f(x, y, dy), static so loops inline it.</summary>
public interface IGradientOperation
{
    static abstract float Invoke(float x, float y, float outputGradient);
}
