using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Graph.Operators;

/// <summary>
/// ONNX MatMul with numpy semantics: batched over leading dimensions with broadcasting, a 1-D A is
/// a row vector and a 1-D B a column vector (their added dimension removed from the result). When
/// B is a plain matrix (weights) the batch folds into one GEMM against B packed once.
/// </summary>
[OnnxOperator("MatMul")]
public sealed class MatMulOperator : Operator
{
    private readonly PackedWeightCache<PackedMatrix> _packedB = new();

    public MatMulOperator(OnnxAttributes attributes, int opset) { }

    public override Tensor[] Forward(Tensor?[] inputs)
    {
        var p = Plan.Of(inputs);
        var y = new Tensor(p.OutputShape);
        if (p.FoldsBatch)
        {
            var packed = _packedB.Get(p.B, p.K, () => Gemm.PackRight(false, p.K, p.N, p.B.Data, p.N));
            Gemm.Multiply(false, p.BatchCount * p.M, 1f, p.A.Data, p.K, packed, 0f, y.Data, p.N);
            return [y];
        }
        for (int batch = 0; batch < p.BatchCount; batch++)
        {
            var (aOffset, bOffset) = p.Offsets(batch);
            Gemm.Multiply(false, false, p.M, p.N, p.K, 1f, p.A.Data.AsSpan(aOffset, p.M * p.K), p.K,
                p.B.Data.AsSpan(bOffset, p.K * p.N), p.N, 0f, y.Data.AsSpan(batch * p.M * p.N, p.M * p.N), p.N);
        }
        return [y];
    }

    public override Tensor?[] Backward(Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var p = Plan.Of(inputs);
        var dy = outputGradients.Length > 0 ? outputGradients[0] : null;
        if (dy is null) return new Tensor?[inputs.Length];
        var da = new Tensor(p.A.ShapeArray);
        var db = new Tensor(p.B.ShapeArray);
        if (p.FoldsBatch)
        {
            int rows = p.BatchCount * p.M;
            Gemm.Multiply(false, true, rows, p.K, p.N, 1f, dy.Data, p.N, p.B.Data, p.N, 0f, da.Data, p.K);
            Gemm.Multiply(true, false, p.K, p.N, rows, 1f, p.A.Data, p.K, dy.Data, p.N, 0f, db.Data, p.N);
            return [da, db];
        }
        // Broadcast operands receive the sum of the gradients of every batch entry that read them.
        for (int batch = 0; batch < p.BatchCount; batch++)
        {
            var (aOffset, bOffset) = p.Offsets(batch);
            var gradient = dy.Data.AsSpan(batch * p.M * p.N, p.M * p.N);
            Gemm.Multiply(false, true, p.M, p.K, p.N, 1f, gradient, p.N, p.B.Data.AsSpan(bOffset, p.K * p.N), p.N,
                1f, da.Data.AsSpan(aOffset, p.M * p.K), p.K);
            Gemm.Multiply(true, false, p.K, p.N, p.M, 1f, p.A.Data.AsSpan(aOffset, p.M * p.K), p.K, gradient, p.N,
                1f, db.Data.AsSpan(bOffset, p.K * p.N), p.N);
        }
        return [da, db];
    }

    /// <summary>The broadcast batch layout of one A x B product.</summary>
    private sealed class Plan
    {
        public required Tensor A { get; init; }
        public required Tensor B { get; init; }
        public required int M { get; init; }
        public required int N { get; init; }
        public required int K { get; init; }
        public required int[] BatchShape { get; init; }
        public required int[] ABatchStrides { get; init; }
        public required int[] BBatchStrides { get; init; }
        public required int[] OutputShape { get; init; }
        public required bool FoldsBatch { get; init; }

        public int BatchCount => BatchShape.Aggregate(1, (x, y) => x * y);

        /// <summary>Start of batch entry <paramref name="batch"/>'s matrix in A and in B.</summary>
        public (int A, int B) Offsets(int batch)
        {
            int a = 0, b = 0;
            for (int axis = BatchShape.Length - 1; axis >= 0; axis--)
            {
                int index = batch % BatchShape[axis];
                batch /= BatchShape[axis];
                a += index * ABatchStrides[axis];
                b += index * BBatchStrides[axis];
            }
            return (a * M * K, b * K * N);
        }

        public static Plan Of(Tensor?[] inputs)
        {
            if (inputs.Length < 2 || inputs[0] is null || inputs[1] is null)
                throw new ShapeMismatchException("MatMul needs inputs A and B");
            Tensor a = inputs[0]!, b = inputs[1]!;
            if (a.Rank == 0 || b.Rank == 0)
                throw new ShapeMismatchException($"MatMul does not take scalars, got {a} and {b}");
            int m = a.Rank == 1 ? 1 : a.Dim(-2), k = a.Dim(-1);
            int kb = b.Rank == 1 ? b.Dim(0) : b.Dim(-2), n = b.Rank == 1 ? 1 : b.Dim(-1);
            if (k != kb)
                throw new ShapeMismatchException($"MatMul: A {a} has {k} columns but B {b} has {kb} rows");
            var aBatch = a.Rank > 2 ? a.Shape[..^2].ToArray() : [];
            var bBatch = b.Rank > 2 ? b.Shape[..^2].ToArray() : [];
            int rank = Math.Max(aBatch.Length, bBatch.Length);
            var batch = new int[rank];
            var aStrides = new int[rank];
            var bStrides = new int[rank];
            int aStride = 1, bStride = 1;
            for (int i = rank - 1; i >= 0; i--)
            {
                int ai = i - (rank - aBatch.Length), bi = i - (rank - bBatch.Length);
                int ad = ai >= 0 ? aBatch[ai] : 1, bd = bi >= 0 ? bBatch[bi] : 1;
                if (ad != bd && ad != 1 && bd != 1)
                    throw new ShapeMismatchException($"MatMul: batch dimensions of A {a} and B {b} do not broadcast");
                batch[i] = Math.Max(ad, bd);
                if (ad == 0 || bd == 0) batch[i] = 0;
                aStrides[i] = ad == 1 ? 0 : aStride;
                bStrides[i] = bd == 1 ? 0 : bStride;
                aStride *= ad;
                bStride *= bd;
            }
            var output = new List<int>(batch);
            if (a.Rank > 1) output.Add(m);
            if (b.Rank > 1) output.Add(n);
            // B without batch dimensions and A not broadcast: the batch stacks into A's rows.
            bool folds = bBatch.Length == 0 && b.Rank == 2 && aBatch.Length == rank;
            return new Plan
            {
                A = a, B = b, M = m, N = n, K = k, BatchShape = batch, ABatchStrides = aStrides, BBatchStrides = bStrides,
                OutputShape = output.ToArray(), FoldsBatch = folds,
            };
        }
    }
}
