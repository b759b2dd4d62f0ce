using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// Base of the two-input elementwise operators with multidirectional (NumPy) broadcasting. Input
/// gradients are computed at the broadcast shape and summed back to each input's shape; integer
/// and boolean inputs (shape arithmetic) get no gradient.
/// </summary>
public abstract class BinaryOperator : Operator
{
    protected abstract string OpType { get; }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var a = OperatorInputs.Required(inputs, 0, OpType);
        var b = OperatorInputs.Required(inputs, 1, OpType);
        return [Apply(a, b)];
    }

    protected abstract Tensor Apply(Tensor a, Tensor b);

    /// <summary>
    /// Gradients at the broadcast shape for (a, b) from the broadcast values a, b, the output y
    /// and dy, elementwise.
    /// </summary>
    protected abstract (float DA, float DB) LocalGradient(float a, float b, float y, float g);

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var g = outputGradients[0];
        var a = OperatorInputs.Required(inputs, 0, OpType);
        var b = OperatorInputs.Required(inputs, 1, OpType);
        bool wantA = a.DataType == TensorDataType.Float32, wantB = b.DataType == TensorDataType.Float32;
        if (g is null || (!wantA && !wantB)) return [null, null];
        var (da, db) = ElementwiseGradients(a, b, outputs[0], g, LocalGradient);
        return [wantA ? da : null, wantB ? db : null];
    }

    /// <summary>Evaluates a local gradient rule at the broadcast shape and reduces to both input shapes.</summary>
    internal static (Tensor DA, Tensor DB) ElementwiseGradients(Tensor a, Tensor b, Tensor y, Tensor g, Func<float, float, float, float, (float, float)> rule)
    {
        var shape = y.ShapeArray;
        var ab = a.Shape.SequenceEqual(shape) ? a : Broadcasting.BroadcastTo(a, shape);
        var bb = b.Shape.SequenceEqual(shape) ? b : Broadcasting.BroadcastTo(b, shape);
        var da = new Tensor(shape);
        var db = new Tensor(shape);
        float[] av = ab.Data, bv = bb.Data, yv = y.Data, gv = g.Data, dav = da.Data, dbv = db.Data;
        Elementwise.Parallel(yv.Length, (s, e) =>
        {
            for (int i = s; i < e; i++) (dav[i], dbv[i]) = rule(av[i], bv[i], yv[i], gv[i]);
        });
        return (Broadcasting.ReduceTo(da, a.Shape), Broadcasting.ReduceTo(db, b.Shape));
    }
}
