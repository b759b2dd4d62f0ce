using CnnLens.Onnx;
using CnnLens.Tensors;

namespace CnnLens.Graph.Operators;

/// <summary>
/// x for x &gt; 0, slope·x otherwise, the slope broadcast to x (e.g. one per channel, [C,1,1]).
/// dx = dy or slope·dy; dslope = Σ dy·x over x ≤ 0, summed to the slope's shape.
/// </summary>
[OnnxOperator("PRelu")]
public sealed class PReluOperator : BinaryOperator
{
    /// <summary>PRelu has no attributes.</summary>
    public PReluOperator(OnnxAttributes attributes, int opset) { }

    protected override string OpType => "PRelu";

    protected override Tensor Apply(Tensor x, Tensor slope)
    {
        var shape = Broadcasting.Shape(x.Shape, slope.Shape);
        if (!x.Shape.SequenceEqual(shape))
            throw new ShapeMismatchException($"PRelu slope {Tensor.ShapeString(slope.Shape)} does not broadcast to input {Tensor.ShapeString(x.Shape)}");
        var s = Broadcasting.BroadcastTo(slope, shape);
        var result = new Tensor(shape);
        float[] xv = x.Data, sv = s.Data, rv = result.Data;
        Elementwise.Parallel(rv.Length, (a, e) =>
        {
            for (int i = a; i < e; i++) rv[i] = xv[i] > 0 ? xv[i] : sv[i] * xv[i];
        });
        return result;
    }

    protected override (float DA, float DB) LocalGradient(float x, float slope, float y, float g) =>
        x > 0 ? (g, 0) : (slope * g, x * g);
}
