using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnLens.Tensors.Kernels;

/// <summary>
/// Single-precision matrix product C = alpha * op(A) * op(B) + beta * C on row-major data with
/// leading dimensions. Operands are packed into cache-sized blocks (depth KC, rows MC, columns NC)
/// and multiplied by a register-blocked micro-kernel (6 x 32 with Vector512 FMA, 6 x 16 with
/// Vector256, scalar otherwise). Work is split over column (or row) panels with
/// <see cref="Parallelism.For"/>. Either operand may be packed ahead with <see cref="PackLeft"/> /
/// <see cref="PackRight"/> and reused across calls.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>MR: rows of C one micro-kernel call produces.</summary>
    internal const int PanelRows = 6;

    /// <summary>NR: columns of C one micro-kernel call produces (two SIMD vectors).</summary>
    internal static readonly int PanelCols =
        Vector512.IsHardwareAccelerated ? 32 : Vector256.IsHardwareAccelerated ? 16 : 8;

    /// <summary>KC: depth of one packed block; a KC x NR panel of B stays in L1 while A streams from L2.</summary>
    internal const int DepthBlock = 256;

    /// <summary>MC: rows of A packed at once (MC x KC floats = 96 KiB, well inside a 1 MiB L2).</summary>
    internal const int RowBlock = 96;

    /// <summary>NC: columns of B packed at once (a multiple of every NR).</summary>
    internal const int ColBlock = 2048;

    /// <summary>C = alpha * op(A) * op(B) + beta * C, where op(A) is m x k and op(B) is k x n.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, parallel: true);

    /// <summary>As the public overload; <paramref name="parallel"/> = false keeps the product on the calling thread (the caller splits the work).</summary>
    internal static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, bool parallel)
    {
        CheckOperand("A", transA, m, k, a.Length, lda);
        CheckOperand("B", transB, k, n, b.Length, ldb);
        CheckOperand("C", false, m, n, c.Length, ldc);
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (!PrepareOutput(pc, m, n, k, ldc, alpha, beta)) return;
            var left = Operand.Strided(pa, transA ? 1 : lda, transA ? lda : 1);
            var right = Operand.Strided(pb, transB ? 1 : ldb, transB ? ldb : 1);
            if (parallel) Run(m, n, k, alpha, left, right, pc, ldc, beta == 0f);
            else if (m > 0 && n > 0) RunRange(0, m, 0, n, k, alpha, left, right, pc, ldc, beta == 0f);
        }
    }

    /// <summary>C = alpha * A * op(B) + beta * C with A packed ahead by <see cref="PackLeft"/>.</summary>
    public static void Multiply(PackedMatrix a, bool transB, int n, float alpha,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Multiply(a, transB, n, alpha, b, ldb, beta, c, ldc, parallel: true);

    /// <summary>As the public overload; <paramref name="parallel"/> = false keeps the product on the calling thread (the caller splits the work).</summary>
    internal static void Multiply(PackedMatrix a, bool transB, int n, float alpha,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, bool parallel)
    {
        if (!a.IsLeftOperand) throw new ArgumentException("packed matrix was packed as the right operand", nameof(a));
        int m = a.Rows, k = a.Cols;
        CheckOperand("B", transB, k, n, b.Length, ldb);
        CheckOperand("C", false, m, n, c.Length, ldc);
        fixed (float* pa = a.Data, pb = b, pc = c)
        {
            if (!PrepareOutput(pc, m, n, k, ldc, alpha, beta)) return;
            var left = Operand.Packed(pa, a.PaddedWidth);
            var right = Operand.Strided(pb, transB ? 1 : ldb, transB ? ldb : 1);
            if (parallel) Run(m, n, k, alpha, left, right, pc, ldc, beta == 0f);
            else if (m > 0 && n > 0) RunRange(0, m, 0, n, k, alpha, left, right, pc, ldc, beta == 0f);
        }
    }

    /// <summary>C = alpha * op(A) * B + beta * C with B packed ahead by <see cref="PackRight"/>.</summary>
    public static void Multiply(bool transA, int m, float alpha, ReadOnlySpan<float> a, int lda,
        PackedMatrix b, float beta, Span<float> c, int ldc)
    {
        if (b.IsLeftOperand) throw new ArgumentException("packed matrix was packed as the left operand", nameof(b));
        int k = b.Rows, n = b.Cols;
        CheckOperand("A", transA, m, k, a.Length, lda);
        CheckOperand("C", false, m, n, c.Length, ldc);
        fixed (float* pa = a, pb = b.Data, pc = c)
        {
            if (!PrepareOutput(pc, m, n, k, ldc, alpha, beta)) return;
            var left = Operand.Strided(pa, transA ? 1 : lda, transA ? lda : 1);
            var right = Operand.Packed(pb, b.PaddedWidth);
            Run(m, n, k, alpha, left, right, pc, ldc, beta == 0f);
        }
    }

    /// <summary>Packs op(A) (m x k) once, for repeated products with it on the left.</summary>
    public static PackedMatrix PackLeft(bool transA, int m, int k, ReadOnlySpan<float> a, int lda)
    {
        CheckOperand("A", transA, m, k, a.Length, lda);
        int padded = RoundUp(m, PanelRows);
        var data = new float[Math.Max(1, padded * k)];
        fixed (float* pa = a, pd = data)
        {
            var source = Operand.Strided(pa, transA ? 1 : lda, transA ? lda : 1);
            for (int p0 = 0; p0 < k; p0 += DepthBlock)
            {
                int kc = Math.Min(DepthBlock, k - p0);
                PackLeftBlock(source, 0, m, p0, kc, pd + (long)p0 * padded);
            }
        }
        return new PackedMatrix(true, m, k, PanelRows, data);
    }

    /// <summary>Packs op(B) (k x n) once, for repeated products with it on the right.</summary>
    public static PackedMatrix PackRight(bool transB, int k, int n, ReadOnlySpan<float> b, int ldb)
    {
        CheckOperand("B", transB, k, n, b.Length, ldb);
        int nr = PanelCols;
        int padded = RoundUp(n, nr);
        var data = new float[Math.Max(1, padded * k)];
        fixed (float* pb = b, pd = data)
        {
            var source = Operand.Strided(pb, transB ? 1 : ldb, transB ? ldb : 1);
            for (int p0 = 0; p0 < k; p0 += DepthBlock)
            {
                int kc = Math.Min(DepthBlock, k - p0);
                PackRightBlock(source, p0, kc, 0, n, pd + (long)p0 * padded);
            }
        }
        return new PackedMatrix(false, k, n, nr, data);
    }

    /// <summary>Where a GEMM operand's values are: strided row-major storage, or a packed buffer.</summary>
    private readonly struct Operand
    {
        public readonly float* Data;
        public readonly int RowStride;
        public readonly int ColStride;
        public readonly int PaddedWidth;
        public readonly bool IsPacked;

        private Operand(float* data, int rowStride, int colStride, int paddedWidth, bool isPacked)
        {
            Data = data;
            RowStride = rowStride;
            ColStride = colStride;
            PaddedWidth = paddedWidth;
            IsPacked = isPacked;
        }

        public static Operand Strided(float* data, int rowStride, int colStride) => new(data, rowStride, colStride, 0, false);

        public static Operand Packed(float* data, int paddedWidth) => new(data, 0, 0, paddedWidth, true);
    }

    private static void Run(int m, int n, int k, float alpha, Operand a, Operand b, float* c, int ldc, bool overwrite)
    {
        if (m == 0 || n == 0) return;
        int nr = PanelCols;
        int rowPanels = (m + PanelRows - 1) / PanelRows;
        int colPanels = (n + nr - 1) / nr;
        // Split where the busiest thread gets the fewest micro-kernel calls (a short edge panel costs a
        // full one): e.g. N = 196 is 7 column panels, 3 + 4 on two threads, while 43 row panels split 22 + 21.
        // Splitting rows makes every thread pack all of B (~1/4 call per panel); splitting columns makes
        // every thread read all of A (~1/10 call per row panel: it decides narrow products such as ResNet's
        // 7x7 layers, 512 x 49 x 4608, where rows measured 5-10 % faster); ties go to columns.
        const double packCost = 0.25, streamCost = 0.1;
        int threads = Parallelism.MaxThreads;
        int colShare = (colPanels + threads - 1) / threads, rowShare = (rowPanels + threads - 1) / threads;
        double pack = b.IsPacked ? 0 : packCost;
        bool splitColumns = rowPanels * (colShare + streamCost) + pack * colShare <= rowShare * (colPanels + streamCost) + pack * colPanels;
        if (splitColumns)
        {
            double cost = 2.0 * m * k * nr;
            Parallelism.For(colPanels, (start, end) =>
                RunRange(0, m, start * nr, Math.Min(n, end * nr), k, alpha, a, b, c, ldc, overwrite), cost);
        }
        else
        {
            double cost = 2.0 * PanelRows * k * n;
            Parallelism.For(rowPanels, (start, end) =>
                RunRange(start * PanelRows, Math.Min(m, end * PanelRows), 0, n, k, alpha, a, b, c, ldc, overwrite), cost);
        }
    }

    /// <summary>
    /// C[i0..i1, j0..j1] += alpha * A * B, or = when <paramref name="overwrite"/> (beta = 0): the first
    /// depth block stores its sums instead of adding them, so C is neither cleared nor read first.
    /// </summary>
    private static void RunRange(int i0, int i1, int j0, int j1, int k, float alpha, Operand a, Operand b, float* c, int ldc, bool overwrite)
    {
        int nr = PanelCols;
        // A row-major A feeds the 512-bit micro-kernel straight from its rows (six prefetchable streams):
        // packing it would copy every value once more per call for no faster kernel, and callers such as
        // convolution then need no persistent packed copy of their weights.
        bool directA = !a.IsPacked && a.ColStride == 1 && Vector512.IsHardwareAccelerated;
        float[]? bufferA = a.IsPacked || directA ? null : ArrayPool<float>.Shared.Rent(RowBlock * DepthBlock);
        float[]? bufferB = b.IsPacked ? null : ArrayPool<float>.Shared.Rent(ColBlock * DepthBlock);
        // Edge tiles spill here, not to a stackalloc inside the kernels: a kernel with its own localloc
        // is compiled without tiered PGO's block weights into a loop that stores all 12 accumulators
        // to the stack on every step (2-3x slower).
        float* edgeTile = stackalloc float[PanelRows * 32];
        try
        {
            fixed (float* packA = bufferA, packB = bufferB)
            {
                for (int jc = j0; jc < j1; jc += ColBlock)
                {
                    int nc = Math.Min(ColBlock, j1 - jc);
                    for (int pc = 0; pc < k; pc += DepthBlock)
                    {
                        int kc = Math.Min(DepthBlock, k - pc);
                        bool accumulate = !overwrite || pc > 0;
                        float* blockB;
                        if (b.IsPacked) blockB = b.Data + (long)pc * b.PaddedWidth + (long)jc * kc;
                        else
                        {
                            PackRightBlock(b, pc, kc, jc, nc, packB);
                            blockB = packB;
                        }
                        for (int ic = i0; ic < i1; ic += RowBlock)
                        {
                            int mc = Math.Min(RowBlock, i1 - ic);
                            float* blockA;
                            if (directA)
                            {
                                float* rowsA = a.Data + (long)ic * a.RowStride + pc;
                                for (int jr = 0; jr < nc; jr += nr)
                                {
                                    int cols = Math.Min(nr, nc - jr);
                                    float* panelB = blockB + (long)jr * kc;
                                    float* cColumn = c + jc + jr;
                                    for (int ir = 0; ir < mc; ir += PanelRows)
                                        MicroKernel512Rows(kc, rowsA + (long)ir * a.RowStride, a.RowStride, panelB,
                                            cColumn + (long)(ic + ir) * ldc, ldc, alpha, Math.Min(PanelRows, mc - ir), cols, edgeTile, accumulate);
                                }
                                continue;
                            }
                            if (a.IsPacked) blockA = a.Data + (long)pc * a.PaddedWidth + (long)ic * kc;
                            else
                            {
                                PackLeftBlock(a, ic, mc, pc, kc, packA);
                                blockA = packA;
                            }
                            for (int jr = 0; jr < nc; jr += nr)
                            {
                                int cols = Math.Min(nr, nc - jr);
                                float* panelB = blockB + (long)jr * kc;
                                float* cColumn = c + jc + jr;
                                for (int ir = 0; ir < mc; ir += PanelRows)
                                {
                                    int rows = Math.Min(PanelRows, mc - ir);
                                    MicroKernel(kc, blockA + (long)ir * kc, panelB, cColumn + (long)(ic + ir) * ldc, ldc, alpha, rows, cols, edgeTile, accumulate);
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            if (bufferA is not null) ArrayPool<float>.Shared.Return(bufferA);
            if (bufferB is not null) ArrayPool<float>.Shared.Return(bufferB);
        }
    }

    /// <summary>Packs rows [i0, i0+rows) x depth [p0, p0+kc) of A into MR-row panels, zero-padded.</summary>
    private static void PackLeftBlock(Operand a, int i0, int rows, int p0, int kc, float* destination)
    {
        for (int ir = 0; ir < rows; ir += PanelRows)
        {
            float* panel = destination + (long)ir * kc;
            int valid = Math.Min(PanelRows, rows - ir);
            for (int r = 0; r < PanelRows; r++)
            {
                float* d = panel + r;
                if (r >= valid)
                {
                    for (int p = 0; p < kc; p++) d[p * PanelRows] = 0f;
                    continue;
                }
                float* s = a.Data + (long)(i0 + ir + r) * a.RowStride + (long)p0 * a.ColStride;
                int cs = a.ColStride;
                if (cs == 1)
                    for (int p = 0; p < kc; p++) d[p * PanelRows] = s[p];
                else
                    for (int p = 0; p < kc; p++) d[p * PanelRows] = s[(long)p * cs];
            }
        }
    }

    /// <summary>Packs depth [p0, p0+kc) x columns [j0, j0+cols) of B into NR-column panels, zero-padded.</summary>
    private static void PackRightBlock(Operand b, int p0, int kc, int j0, int cols, float* destination)
    {
        int nr = PanelCols;
        for (int jr = 0; jr < cols; jr += nr)
        {
            float* panel = destination + (long)jr * kc;
            int valid = Math.Min(nr, cols - jr);
            if (b.ColStride == 1)
            {
                float* s = b.Data + (long)p0 * b.RowStride + j0 + jr;
                for (int p = 0; p < kc; p++, s += b.RowStride, panel += nr)
                {
                    if (valid == nr)
                    {
                        if (nr == 32)
                        {
                            Vector512.Store(Vector512.Load(s), panel);
                            Vector512.Store(Vector512.Load(s + 16), panel + 16);
                        }
                        else
                            new ReadOnlySpan<float>(s, nr).CopyTo(new Span<float>(panel, nr));
                    }
                    else
                    {
                        int j = 0;
                        for (; j < valid; j++) panel[j] = s[j];
                        for (; j < nr; j++) panel[j] = 0f;
                    }
                }
            }
            else
            {
                // Transposed B: each column is contiguous in memory, so walk columns outermost.
                for (int j = 0; j < nr; j++)
                {
                    float* d = panel + j;
                    if (j >= valid)
                    {
                        for (int p = 0; p < kc; p++) d[p * nr] = 0f;
                        continue;
                    }
                    float* s = b.Data + (long)(j0 + jr + j) * b.ColStride + (long)p0 * b.RowStride;
                    int rs = b.RowStride;
                    for (int p = 0; p < kc; p++) d[p * nr] = s[(long)p * rs];
                }
            }
        }
    }

    private static void MicroKernel(int kc, float* a, float* b, float* c, int ldc, float alpha, int rows, int cols, float* tile, bool accumulate)
    {
        if (Vector512.IsHardwareAccelerated) MicroKernel512(kc, a, b, c, ldc, alpha, rows, cols, tile, accumulate);
        else if (Vector256.IsHardwareAccelerated) MicroKernel256(kc, a, b, c, ldc, alpha, rows, cols, tile, accumulate);
        else MicroKernelScalar(kc, a, b, c, ldc, alpha, rows, cols, tile, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel512(int kc, float* a, float* b, float* c, int ldc, float alpha, int rows, int cols, float* tile, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var v = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(v, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(v, b1, c01);
            v = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(v, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(v, b1, c11);
            v = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(v, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(v, b1, c21);
            v = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(v, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(v, b1, c31);
            v = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(v, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(v, b1, c41);
            v = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(v, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(v, b1, c51);
            a += 6;
            b += 32;
        }
        StoreTile512(c, ldc, alpha, rows, cols, tile, accumulate, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>
    /// As <see cref="MicroKernel512"/> with A read in place: <paramref name="rows"/> rows of a row-major
    /// matrix <paramref name="lda"/> apart. Rows past the edge re-read the first row; their sums are dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel512Rows(int kc, float* a, int lda, float* b, float* c, int ldc, float alpha, int rows, int cols, float* tile, bool accumulate)
    {
        float* a0 = a;
        float* a1 = rows > 1 ? a + lda : a;
        float* a2 = rows > 2 ? a + 2L * lda : a;
        float* a3 = rows > 3 ? a + 3L * lda : a;
        float* a4 = rows > 4 ? a + 4L * lda : a;
        float* a5 = rows > 5 ? a + 5L * lda : a;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var v = Vector512.Create(a0[p]);
            c00 = Vector512.FusedMultiplyAdd(v, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(v, b1, c01);
            v = Vector512.Create(a1[p]);
            c10 = Vector512.FusedMultiplyAdd(v, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(v, b1, c11);
            v = Vector512.Create(a2[p]);
            c20 = Vector512.FusedMultiplyAdd(v, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(v, b1, c21);
            v = Vector512.Create(a3[p]);
            c30 = Vector512.FusedMultiplyAdd(v, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(v, b1, c31);
            v = Vector512.Create(a4[p]);
            c40 = Vector512.FusedMultiplyAdd(v, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(v, b1, c41);
            v = Vector512.Create(a5[p]);
            c50 = Vector512.FusedMultiplyAdd(v, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(v, b1, c51);
            b += 32;
        }
        StoreTile512(c, ldc, alpha, rows, cols, tile, accumulate, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>
    /// The 512-bit kernels' 6 x 32 sums into C: straight from the registers for a full tile, through
    /// <paramref name="tile"/> for one at the matrix's edge.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTile512(float* c, int ldc, float alpha, int rows, int cols, float* tile, bool accumulate,
        Vector512<float> c00, Vector512<float> c01, Vector512<float> c10, Vector512<float> c11, Vector512<float> c20, Vector512<float> c21,
        Vector512<float> c30, Vector512<float> c31, Vector512<float> c40, Vector512<float> c41, Vector512<float> c50, Vector512<float> c51)
    {
        var scale = Vector512.Create(alpha);
        if (rows == 6 && cols == 32)
        {
            Store512(c, c00, c01, scale, accumulate);
            Store512(c + ldc, c10, c11, scale, accumulate);
            Store512(c + 2 * ldc, c20, c21, scale, accumulate);
            Store512(c + 3 * ldc, c30, c31, scale, accumulate);
            Store512(c + 4 * ldc, c40, c41, scale, accumulate);
            Store512(c + 5 * ldc, c50, c51, scale, accumulate);
            return;
        }
        Vector512.Store(c00, tile); Vector512.Store(c01, tile + 16);
        Vector512.Store(c10, tile + 32); Vector512.Store(c11, tile + 48);
        Vector512.Store(c20, tile + 64); Vector512.Store(c21, tile + 80);
        Vector512.Store(c30, tile + 96); Vector512.Store(c31, tile + 112);
        Vector512.Store(c40, tile + 128); Vector512.Store(c41, tile + 144);
        Vector512.Store(c50, tile + 160); Vector512.Store(c51, tile + 176);
        StoreEdge(tile, 32, c, ldc, alpha, rows, cols, accumulate);
    }

    /// <summary>One row of a full tile: c += scale * sums, or c = scale * sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> low, Vector512<float> high, Vector512<float> scale, bool accumulate)
    {
        if (accumulate)
        {
            Vector512.Store(Vector512.FusedMultiplyAdd(low, scale, Vector512.Load(c)), c);
            Vector512.Store(Vector512.FusedMultiplyAdd(high, scale, Vector512.Load(c + 16)), c + 16);
        }
        else
        {
            Vector512.Store(low * scale, c);
            Vector512.Store(high * scale, c + 16);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel256(int kc, float* a, float* b, float* c, int ldc, float alpha, int rows, int cols, float* tile, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var v = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(v, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(v, b1, c01);
            v = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(v, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(v, b1, c11);
            v = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(v, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(v, b1, c21);
            v = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(v, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(v, b1, c31);
            v = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(v, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(v, b1, c41);
            v = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(v, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(v, b1, c51);
            a += 6;
            b += 16;
        }
        Vector256.Store(c00, tile); Vector256.Store(c01, tile + 8);
        Vector256.Store(c10, tile + 16); Vector256.Store(c11, tile + 24);
        Vector256.Store(c20, tile + 32); Vector256.Store(c21, tile + 40);
        Vector256.Store(c30, tile + 48); Vector256.Store(c31, tile + 56);
        Vector256.Store(c40, tile + 64); Vector256.Store(c41, tile + 72);
        Vector256.Store(c50, tile + 80); Vector256.Store(c51, tile + 88);
        StoreEdge(tile, 16, c, ldc, alpha, rows, cols, accumulate);
    }

    private static void MicroKernelScalar(int kc, float* a, float* b, float* c, int ldc, float alpha, int rows, int cols, float* tile, bool accumulate)
    {
        const int nr = 8;
        new Span<float>(tile, PanelRows * nr).Clear();
        for (int p = 0; p < kc; p++, a += PanelRows, b += nr)
            for (int r = 0; r < PanelRows; r++)
            {
                float av = a[r];
                for (int j = 0; j < nr; j++) tile[r * nr + j] += av * b[j];
            }
        StoreEdge(tile, nr, c, ldc, alpha, rows, cols, accumulate);
    }

    /// <summary>The valid part of a tile at the matrix's edge: c += alpha * tile, or c = alpha * tile.</summary>
    private static void StoreEdge(float* tile, int tileStride, float* c, int ldc, float alpha, int rows, int cols, bool accumulate)
    {
        var scale = Vector512.Create(alpha);
        for (int r = 0; r < rows; r++)
        {
            float* row = c + (long)r * ldc;
            float* t = tile + r * tileStride;
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; j + 16 <= cols; j += 16)
                {
                    var sum = Vector512.Load(t + j) * scale;
                    Vector512.Store(accumulate ? sum + Vector512.Load(row + j) : sum, row + j);
                }
            if (accumulate) for (; j < cols; j++) row[j] += alpha * t[j];
            else for (; j < cols; j++) row[j] = alpha * t[j];
        }
    }

    /// <summary>
    /// Applies beta to C before the product adds onto it; false when there is no product (k = 0 or
    /// alpha = 0), C then being only scaled. beta = 0 leaves C alone: the product overwrites it.
    /// </summary>
    private static bool PrepareOutput(float* c, int m, int n, int k, int ldc, float alpha, float beta)
    {
        if (k == 0 || alpha == 0f)
        {
            ScaleOutput(c, m, n, ldc, beta);
            return false;
        }
        if (beta != 0f) ScaleOutput(c, m, n, ldc, beta);
        return true;
    }

    private static void ScaleOutput(float* c, int m, int n, int ldc, float beta)
    {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear(); // beta = 0 overwrites, even NaN, as BLAS does
            else for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }

    private static void CheckOperand(string name, bool transposed, int rows, int cols, int length, int leading)
    {
        if (rows < 0 || cols < 0) throw new ArgumentException($"GEMM operand {name} has a negative size");
        int storedRows = transposed ? cols : rows, storedCols = transposed ? rows : cols;
        if (storedRows == 0 || storedCols == 0) return;
        if (leading < storedCols)
            throw new ArgumentException($"GEMM operand {name}: leading dimension {leading} is below its {storedCols} columns");
        if ((long)(storedRows - 1) * leading + storedCols > length)
            throw new ArgumentException($"GEMM operand {name}: span of {length} values is too short for {storedRows} x {storedCols} with leading dimension {leading}");
    }

    internal static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
