using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>
/// ONNX Gemm: Y = alpha * op(A) * op(B) + beta * C, with C broadcast to [M, N]. B (the weights of a
/// fully-connected layer) is packed once per tensor. Backward gives dA, dB and dC.
/// </summary>
[OnnxOperator("Gemm")]
public sealed class GemmOperator : Operator
{
    private readonly float _alpha, _beta;
    private readonly bool _transA, _transB;
    private readonly PackedWeightCache<PackedMatrix> _packedB = new();

    public GemmOperator(OnnxAttributes attributes, int opset)
    {
        _alpha = attributes.GetFloat("alpha", 1f);
        _beta = attributes.GetFloat("beta", 1f);
        _transA = attributes.GetInt("transA", 0) != 0;
        _transB = attributes.GetInt("transB", 0) != 0;
    }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var (a, b, c, m, n, k) = Inputs(inputs);
        var y = new Tensor(m, n);
        float beta = 0f;
        if (c is not null && _beta != 0f)
        {
            BroadcastC(c, m, n, y.Data);
            beta = _beta;
        }
        var packed = _packedB.Get(b, _transB, () => Gemm.PackRight(_transB, k, n, b.Data, _transB ? k : n));
        Gemm.Multiply(_transA, m, _alpha, a.Data, _transA ? m : k, packed, beta, y.Data, n);
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) =>
        Backward(inputs, outputs, outputGradients, AllNeeded(inputs));

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients, bool[] needed)
    {
        var (a, b, c, m, n, k) = Inputs(inputs);
        var result = new Tensor?[inputs.Length];
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        if (dy is null) return result;
        int lda = _transA ? m : k, ldb = _transB ? k : n;
        if (needed[0])
        {
            var da = new Tensor(a.ShapeArray);
            // d op(A) = alpha * dY * op(B)^T; when A is stored transposed, dA = alpha * op(B) * dY^T.
            if (!_transA) Gemm.Multiply(false, !_transB, m, k, n, _alpha, dy.Data, n, b.Data, ldb, 0f, da.Data, k);
            else Gemm.Multiply(_transB, true, k, m, n, _alpha, b.Data, ldb, dy.Data, n, 0f, da.Data, m);
            result[0] = da;
        }
        if (needed[1])
        {
            var db = new Tensor(b.ShapeArray);
            // d op(B) = alpha * op(A)^T * dY; when B is stored transposed, dB = alpha * dY^T * op(A).
            if (!_transB) Gemm.Multiply(!_transA, false, k, n, m, _alpha, a.Data, lda, dy.Data, n, 0f, db.Data, n);
            else Gemm.Multiply(true, _transA, n, k, m, _alpha, dy.Data, n, a.Data, lda, 0f, db.Data, k);
            result[1] = db;
        }
        if (c is not null && needed.Length > 2 && needed[2]) result[2] = ReduceToC(c, m, n, dy.Data, _beta);
        return result;
    }

    private (Tensor A, Tensor B, Tensor? C, int M, int N, int K) Inputs(Tensor?[] inputs)
    {
        if (inputs.Length < 2 || inputs[0] is null || inputs[1] is null)
            throw new ShapeMismatchException("Gemm needs inputs A and B");
        Tensor a = inputs[0]!, b = inputs[1]!;
        var c = inputs.Length > 2 ? inputs[2] : null;
        if (a.Rank != 2 || b.Rank != 2)
            throw new ShapeMismatchException($"Gemm needs 2-D A and B, got {a} and {b}; flatten the input first");
        int m = _transA ? a.Dim(1) : a.Dim(0), k = _transA ? a.Dim(0) : a.Dim(1);
        int kb = _transB ? b.Dim(1) : b.Dim(0), n = _transB ? b.Dim(0) : b.Dim(1);
        if (k != kb)
            throw new ShapeMismatchException($"Gemm: A {a} (transA={(_transA ? 1 : 0)}) has {k} columns but B {b} (transB={(_transB ? 1 : 0)}) has {kb} rows");
        if (c is not null) CheckBroadcast(c, m, n);
        return (a, b, c, m, n, k);
    }

    private static void CheckBroadcast(Tensor c, int m, int n)
    {
        bool ok = c.Rank switch
        {
            0 => true,
            1 => c.Dim(0) == n || c.Dim(0) == 1,
            2 => (c.Dim(0) == m || c.Dim(0) == 1) && (c.Dim(1) == n || c.Dim(1) == 1),
            _ => false,
        };
        if (!ok) throw new ShapeMismatchException($"Gemm: C {c} does not broadcast to [{m},{n}]");
    }

    /// <summary>(rows, columns) of C as it lines up with [M, N] (1 where it broadcasts).</summary>
    private static (int Rows, int Cols) CShape(Tensor c) =>
        c.Rank switch { 0 => (1, 1), 1 => (1, c.Dim(0)), _ => (c.Dim(0), c.Dim(1)) };

    private static void BroadcastC(Tensor c, int m, int n, float[] y)
    {
        var (rows, cols) = CShape(c);
        for (int i = 0; i < m; i++)
        {
            int ci = rows == 1 ? 0 : i;
            var row = y.AsSpan(i * n, n);
            if (cols == 1) row.Fill(c.Data[ci]);
            else c.Data.AsSpan(ci * cols, n).CopyTo(row);
        }
    }

    private static Tensor ReduceToC(Tensor c, int m, int n, float[] dy, float beta)
    {
        var (rows, cols) = CShape(c);
        var sums = new double[rows * cols];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                sums[(rows == 1 ? 0 : i) * cols + (cols == 1 ? 0 : j)] += dy[i * n + j];
        var dc = new Tensor(c.ShapeArray);
        for (int i = 0; i < sums.Length; i++) dc.Data[i] = (float)(beta * sums[i]);
        return dc;
    }
}
