using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnLens.Tensors.Kernels;

/// <summary>
/// 3x3 stride-1 convolution by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast
/// Algorithms for Convolutional Neural Networks", 2016): every 2x2 block of outputs ("tile") comes
/// from a 4x4 input patch with 16 multiplications per input/output channel pair instead of 36. The
/// input patches and the filters are transformed (B^T d B, G g G^T), the 16 transformed positions
/// become 16 independent GEMMs over the channels, and the products are transformed back (A^T m A).
/// The transforms only add, subtract and halve, so results stay within a few float roundings of
/// the direct sum; the engine's PyTorch parity tests cover it.
/// </summary>
public static unsafe class WinogradConvolution
{
    /// <summary>Transformed positions per tile (4x4).</summary>
    private const int Positions = 16;

    /// <summary>Transformed input values per chunk of tiles (128 Ki floats, 512 KiB): with its products it stays in a 2 MiB L2.</summary>
    private const long ChunkValues = 128 * 1024;

    /// <summary>
    /// Whether the Conv operator uses this algorithm where it <see cref="Applies"/> (default on). Its
    /// transformed filters are kept beside the weights (16/9 of each 3x3 layer's size: 17 MB for
    /// ResNet-18); off (the CLI's --low-memory) keeps every weight once, at the speed of im2col.
    /// </summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>
    /// True when F(2x2, 3x3) computes this convolution faster than im2col: a dense 3x3 kernel at stride
    /// and dilation 1, pads of at most 2 (so the data gradient is one too), enough channels for the
    /// GEMMs to dominate the transforms, and enough tiles for the GEMMs to fill their panels
    /// (ResNet's 7x7 layers at batch 1 have 16 and stay on im2col, measured slower here).
    /// </summary>
    public static bool Applies(ConvolutionGeometry g) =>
        Computes(g) && g.InChannels >= 16 && g.OutChannels >= 16 && (long)g.Batch * TileRows(g) * TileCols(g) >= 32;

    /// <summary>Whether this algorithm computes <paramref name="g"/> at all: a dense 3x3 kernel, stride and dilation 1, pads of at most 2.</summary>
    private static bool Computes(ConvolutionGeometry g) =>
        g.Groups == 1 && g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.StrideWidth == 1
        && g.DilationHeight == 1 && g.DilationWidth == 1
        && g.PadTop <= 2 && g.PadLeft <= 2 && g.PadBottom <= 2 && g.PadRight <= 2;

    /// <summary>
    /// The filters transformed by G g G^T, laid out [16][M][C]: position e's matrix is the left
    /// operand of that position's GEMM. Computed once per weight tensor.
    /// </summary>
    public static float[] TransformWeights(ConvolutionGeometry g, ReadOnlySpan<float> weights) => Transform(g, weights, turned: false);

    /// <summary>
    /// The transformed filters of the data gradient: d(input) is the 3x3 convolution of d(output)
    /// with each filter turned by 180 degrees and input/output channels swapped, padded by 2 - pad
    /// (see <see cref="DataGradientGeometry"/>). Laid out [16][C][M].
    /// </summary>
    public static float[] TransformWeightsForDataGradient(ConvolutionGeometry g, ReadOnlySpan<float> weights) => Transform(g, weights, turned: true);

    private static float[] Transform(ConvolutionGeometry g, ReadOnlySpan<float> weights, bool turned)
    {
        CheckApplies(g);
        if (weights.Length != g.OutChannels * g.InChannels * 9)
            throw new ShapeMismatchException($"convolution weights have {weights.Length} values, expected [{g.OutChannels},{g.InChannels},3,3]");
        int m = g.OutChannels, c = g.InChannels;
        var transformed = new float[Positions * m * c];
        fixed (float* source = weights)
        {
            nint weightAddress = (nint)source;
            // Filters are independent: the threads share the output channels (once per weight tensor,
            // but on the first pass a user waits for).
            Parallelism.For(m, (k0, k1) =>
            {
                Span<float> filter = stackalloc float[9];
                Span<float> u = stackalloc float[Positions];
                for (int k = k0; k < k1; k++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        float* taps = (float*)weightAddress + ((long)k * c + ch) * 9;
                        for (int i = 0; i < 9; i++) filter[i] = taps[turned ? 8 - i : i]; // a 180-degree turn reverses the taps
                        TransformFilter(filter, u);
                        long offset = turned ? (long)ch * m + k : (long)k * c + ch;
                        for (int e = 0; e < Positions; e++) transformed[(long)e * m * c + offset] = u[e];
                    }
            }, 200.0 * c);
        }
        return transformed;
    }

    /// <summary>The convolution whose output is d(input) of <paramref name="g"/>, given d(output) as its input.</summary>
    public static ConvolutionGeometry DataGradientGeometry(ConvolutionGeometry g) => g with
    {
        InChannels = g.OutChannels,
        OutChannels = g.InChannels,
        InHeight = g.OutHeight,
        InWidth = g.OutWidth,
        PadTop = 2 - g.PadTop,
        PadLeft = 2 - g.PadLeft,
        PadBottom = 2 - g.PadBottom,
        PadRight = 2 - g.PadRight,
    };

    /// <summary>
    /// output = conv(input, weights) + bias with the weights given by <see cref="TransformWeights"/>
    /// (or, for a data gradient, by <see cref="TransformWeightsForDataGradient"/> with
    /// <see cref="DataGradientGeometry"/>). <paramref name="bias"/> may be empty.
    /// </summary>
    public static void Forward(ConvolutionGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> transformedWeights,
        ReadOnlySpan<float> bias, Span<float> output)
    {
        CheckApplies(g);
        int c = g.InChannels, m = g.OutChannels;
        if (input.Length != g.Batch * c * g.InSpatial)
            throw new ShapeMismatchException($"convolution input has {input.Length} values, expected [{g.Batch},{c},{g.InHeight},{g.InWidth}]");
        if (transformedWeights.Length != Positions * m * c)
            throw new ShapeMismatchException($"transformed weights have {transformedWeights.Length} values, expected {Positions * m * c}");
        if (output.Length != g.Batch * m * g.OutSpatial)
            throw new ShapeMismatchException($"convolution output has {output.Length} values, expected [{g.Batch},{m},{g.OutHeight},{g.OutWidth}]");
        if (!bias.IsEmpty && bias.Length != m)
            throw new ShapeMismatchException($"convolution bias has {bias.Length} values for {m} output channels");
        if (g.Batch == 0) return;

        int tilesPerImage = TileRows(g) * TileCols(g);
        long totalTiles = (long)g.Batch * tilesPerImage;
        int chunkTiles = ChunkTiles(g, totalTiles, Parallelism.MaxThreads);
        int chunks = (int)((totalTiles + chunkTiles - 1) / chunkTiles);
        fixed (float* x = input, u = transformedWeights, b = bias, y = output)
        {
            var task = new ChunkTask(g, x, u, bias.IsEmpty ? null : b, y, tilesPerImage, totalTiles, chunkTiles);
            if (chunks >= Parallelism.MaxThreads)
                // Each thread transforms, multiplies and writes back whole chunks: no synchronisation inside a chunk.
                Parallelism.For(chunks, (start, end) => task.Run(start, end, parallelInside: false), 2.0 * Positions * m * c * chunkTiles);
            else
                // Fewer chunks than threads (one small image): the threads share each chunk's planes and GEMMs.
                task.Run(0, chunks, parallelInside: true);
        }
    }

    /// <summary>
    /// Chunk budgets one chunk shared by all threads may take: each thread transforms its share of the
    /// channels and multiplies its share of the 16 positions, so it touches part of the chunk only.
    /// </summary>
    private const int SharedChunkBudgets = 8;

    /// <summary>
    /// Tiles per chunk (tiles are counted over the whole batch, so a chunk may span images; the last
    /// chunk may be shorter): a multiple of the GEMM panel width, at most what keeps a chunk's
    /// transformed input (16 x C x tiles) near L2 size, and among those the size whose chunks, handed
    /// out as <see cref="Parallelism.For"/> does, give the busiest thread the fewest panels to multiply
    /// (the larger size on a tie: fewer passes over the weights). All tiles in one chunk shared by the
    /// threads wins when it is lighter still and fits <see cref="SharedChunkBudgets"/> budgets: its
    /// products split by position, so 196 tiles (7 panels, one ragged) are 3.5 panels per thread
    /// against 4 + 3 in chunks (ResNet-18's 28x28 layers at batch 1 measured 10-17 % faster, the
    /// 56x56 ones 1-4 %).
    /// </summary>
    private static int ChunkTiles(ConvolutionGeometry g, long totalTiles, int threads)
    {
        int panel = Gemm.PanelCols;
        int largest = Math.Max(panel, (int)(ChunkValues / ((long)Positions * Math.Max(g.InChannels, g.OutChannels))) / panel * panel);
        long best = largest;
        double bestLoad = double.MaxValue;
        for (int size = largest; size >= panel; size -= panel)
        {
            double load = BusiestThreadPanels(totalTiles, size, threads, panel);
            if (load < bestLoad) (best, bestLoad) = (size, load);
        }
        if (threads > 1 && totalTiles <= (long)largest * SharedChunkBudgets && BusiestThreadPanels(totalTiles, totalTiles, threads, panel) < bestLoad)
            best = totalTiles;
        return (int)Math.Min(best, totalTiles);
    }

    /// <summary>
    /// GEMM panels (over all 16 positions) the busiest thread multiplies when the tiles go in chunks of
    /// <paramref name="size"/>: whole chunks per thread, or with fewer chunks than threads, every chunk
    /// shared with its positions split among the threads.
    /// </summary>
    private static double BusiestThreadPanels(long totalTiles, long size, int threads, int panel)
    {
        long chunks = (totalTiles + size - 1) / size;
        long Panels(long chunk) => (Math.Min(size, totalTiles - chunk * size) + panel - 1) / panel;
        if (chunks < threads)
        {
            long panels = 0;
            for (long chunk = 0; chunk < chunks; chunk++) panels += Panels(chunk);
            return (double)panels * ((Positions + threads - 1) / threads) / Positions;
        }
        long busiest = 0;
        for (int t = 0; t < threads; t++)
        {
            long load = 0;
            for (long chunk = chunks * t / threads; chunk < chunks * (t + 1) / threads; chunk++) load += Panels(chunk);
            busiest = Math.Max(busiest, load);
        }
        return busiest;
    }

    /// <summary>The pointers and sizes of one <see cref="Forward"/> call, shared by the threads running its chunks.</summary>
    private sealed class ChunkTask(ConvolutionGeometry g, float* x, float* u, float* bias, float* y, int tilesPerImage, long totalTiles, int chunkTiles)
    {
        private readonly nint _x = (nint)x, _u = (nint)u, _bias = (nint)bias, _y = (nint)y;

        /// <summary>
        /// Runs chunks [start, end): chunk i holds tiles [i * chunkTiles, (i + 1) * chunkTiles) of the batch
        /// (tile = image * tiles per image + tile within the image); each image's share is transformed
        /// into, and read back from, its own columns of the chunk's matrices.
        /// </summary>
        public void Run(int start, int end, bool parallelInside)
        {
            int c = g.InChannels, m = g.OutChannels;
            var transformed = ArrayPool<float>.Shared.Rent(Positions * c * chunkTiles);
            var products = ArrayPool<float>.Shared.Rent(Positions * m * chunkTiles);
            try
            {
                fixed (float* vp = transformed, pp = products)
                {
                    nint v = (nint)vp, p = (nint)pp;
                    for (int chunk = start; chunk < end; chunk++)
                    {
                        long first = (long)chunk * chunkTiles;
                        int tiles = (int)Math.Min(chunkTiles, totalTiles - first);
                        For(c, parallelInside, 12.0 * tiles, (c0, c1) => ForEachImage(first, tiles, (image, from, to, column) =>
                            TransformInput(g, (float*)_x + (long)image * c * g.InSpatial, c0, c1, from, to, (float*)v + column, tiles)));
                        For(Positions, parallelInside, 2.0 * m * c * tiles, (e0, e1) =>
                        {
                            for (int e = e0; e < e1; e++)
                                Gemm.Multiply(false, false, m, tiles, c, 1f,
                                    new ReadOnlySpan<float>((float*)_u + (long)e * m * c, m * c), c,
                                    new ReadOnlySpan<float>((float*)v + (long)e * c * tiles, c * tiles), tiles, 0f,
                                    new Span<float>((float*)p + (long)e * m * tiles, m * tiles), tiles, parallel: false);
                        });
                        For(m, parallelInside, 12.0 * tiles, (k0, k1) => ForEachImage(first, tiles, (image, from, to, column) =>
                            TransformOutput(g, (float*)p + column, tiles, (float*)_bias, k0, k1, from, to, (float*)_y + (long)image * m * g.OutSpatial)));
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(transformed);
                ArrayPool<float>.Shared.Return(products);
            }
        }

        /// <summary>Calls <paramref name="body"/>(image, first tile, end tile, chunk column) for each image the chunk's tiles touch.</summary>
        private void ForEachImage(long first, int tiles, Action<int, int, int, int> body)
        {
            for (long tile = first; tile < first + tiles;)
            {
                int image = (int)(tile / tilesPerImage), from = (int)(tile - (long)image * tilesPerImage);
                int to = (int)Math.Min(tilesPerImage, from + (first + tiles - tile));
                body(image, from, to, (int)(tile - first));
                tile += to - from;
            }
        }

        private static void For(int count, bool parallel, double costPerItem, Action<int, int> body)
        {
            if (parallel) Parallelism.For(count, body, costPerItem);
            else body(0, count);
        }
    }

    private static int TileRows(ConvolutionGeometry g) => (g.OutHeight + 1) / 2;

    private static int TileCols(ConvolutionGeometry g) => (g.OutWidth + 1) / 2;

    private static void CheckApplies(ConvolutionGeometry g)
    {
        g.Validate();
        if (!Computes(g))
            throw new ShapeMismatchException("Winograd F(2x2,3x3) needs a 3x3 kernel, stride and dilation 1, one group and pads of at most 2");
    }

    /// <summary>u = G g G^T for one 3x3 filter g (row-major), with G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1].</summary>
    private static void TransformFilter(ReadOnlySpan<float> g, Span<float> u)
    {
        Span<float> gg = stackalloc float[12]; // G g: 4 x 3
        for (int j = 0; j < 3; j++)
        {
            float g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
            gg[j] = g0;
            gg[3 + j] = 0.5f * (g0 + g1 + g2);
            gg[6 + j] = 0.5f * (g0 - g1 + g2);
            gg[9 + j] = g2;
        }
        for (int i = 0; i < 4; i++)
        {
            float r0 = gg[3 * i], r1 = gg[3 * i + 1], r2 = gg[3 * i + 2];
            u[4 * i] = r0;
            u[4 * i + 1] = 0.5f * (r0 + r1 + r2);
            u[4 * i + 2] = 0.5f * (r0 - r1 + r2);
            u[4 * i + 3] = r2;
        }
    }

    /// <summary>
    /// B^T d B for tiles [first, last) of one image's input channels [c0, c1), written to
    /// V[e][channel][tile - first] with rows <paramref name="stride"/> apart. Each padded input row is split into its even and odd columns, so
    /// tile j's four columns are even[j], odd[j], even[j+1], odd[j+1]; the horizontal pass (d B) runs per
    /// row over its tiles and keeps even and odd rows apart, so that the vertical pass (B^T ...) is four
    /// long vector loops over all the chunk's tiles at once.
    /// </summary>
    private static void TransformInput(ConvolutionGeometry g, float* planes, int c0, int c1, int first, int last, float* v, int stride)
    {
        int tileCols = TileCols(g), tiles = last - first, split = tileCols + 1;
        int firstRow = first / tileCols, rows = (last - 1) / tileCols - firstRow + 1; // tile rows the chunk touches
        int half = (rows + 1) * tileCols; // padded rows of one parity after the horizontal pass
        var scratch = ArrayPool<float>.Shared.Rent(2 * split + 8 * half);
        try
        {
            fixed (float* buffer = scratch)
            {
                float* even = buffer, odd = buffer + split, passed = odd + split;
                long positionStride = (long)g.InChannels * stride;
                int skip = first - firstRow * tileCols; // the chunk's first tile within its first row
                for (int channel = c0; channel < c1; channel++)
                {
                    float* source = planes + (long)channel * g.InSpatial;
                    for (int r = 0; r < 2 * rows + 2; r++)
                    {
                        SplitRow(source, g, 2 * firstRow + r - g.PadTop, even, odd, split);
                        // Horizontal pass: column j of d B, into the even- or odd-row half.
                        float* h = passed + (r & 1) * 4 * half + (r >> 1) * tileCols;
                        Subtract(even, even + 1, h, tileCols);
                        Add(odd, even + 1, h + half, tileCols);
                        Subtract(even + 1, odd, h + 2 * half, tileCols);
                        Subtract(odd, odd + 1, h + 3 * half, tileCols);
                    }
                    // Vertical pass over tile t (counted from the chunk's first row): its rows are even[t],
                    // odd[t], even[t + tileCols], odd[t + tileCols]. Position e = 4 * row + column.
                    float* target = v + (long)channel * stride;
                    for (int hj = 0; hj < 4; hj++)
                    {
                        float* r0 = passed + hj * half + skip, r1 = r0 + 4 * half, r2 = r0 + tileCols, r3 = r1 + tileCols;
                        Subtract(r0, r2, target + hj * positionStride, tiles);
                        Add(r1, r2, target + (4 + hj) * positionStride, tiles);
                        Subtract(r2, r1, target + (8 + hj) * positionStride, tiles);
                        Subtract(r1, r3, target + (12 + hj) * positionStride, tiles);
                    }
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(scratch); }
    }

    /// <summary>Even and odd columns of input row <paramref name="row"/> shifted by the left pad, zero outside the image.</summary>
    private static void SplitRow(float* plane, ConvolutionGeometry g, int row, float* even, float* odd, int count)
    {
        if (row < 0 || row >= g.InHeight)
        {
            new Span<float>(even, count).Clear();
            new Span<float>(odd, count).Clear();
            return;
        }
        float* source = plane + (long)row * g.InWidth;
        int width = g.InWidth, pad = g.PadLeft;
        int j = 0;
        for (; j < count && 2 * j - pad < 0; j++) SplitColumn(source, width, 2 * j - pad, even + j, odd + j);
        // Pairs of columns both inside the row: no bounds to check.
        int inside = Math.Clamp((width - (2 * j - pad)) / 2, 0, count - j);
        if (inside > 0) VectorLoops.SplitEvenOdd(source + 2 * j - pad, even + j, odd + j, inside);
        for (j += inside; j < count; j++) SplitColumn(source, width, 2 * j - pad, even + j, odd + j);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SplitColumn(float* source, int width, int column, float* even, float* odd)
    {
        *even = (uint)column < (uint)width ? source[column] : 0f;
        *odd = (uint)(column + 1) < (uint)width ? source[column + 1] : 0f;
    }

    /// <summary>
    /// A^T m A (+ bias) for tiles [first, last) of one image's output channels [k0, k1), from the
    /// products P[e][channel][tile - first] (rows <paramref name="stride"/> apart): the four outputs of all the chunk's tiles are computed in long
    /// vector loops, then each tile row's pairs are interleaved into the two output rows it covers.
    /// </summary>
    private static void TransformOutput(ConvolutionGeometry g, float* products, int stride, float* bias, int k0, int k1, int first, int last, float* outputs)
    {
        int tileCols = TileCols(g), tiles = last - first, width = g.OutWidth;
        long positionStride = (long)g.OutChannels * stride;
        var scratch = ArrayPool<float>.Shared.Rent(4 * tiles);
        try
        {
            fixed (float* combined = scratch)
            {
                float* y00 = combined, y01 = y00 + tiles, y10 = y01 + tiles, y11 = y10 + tiles;
                for (int channel = k0; channel < k1; channel++)
                {
                    CombineProducts(products + (long)channel * stride, positionStride, bias is null ? 0f : bias[channel], tiles, y00, y01, y10, y11);
                    float* plane = outputs + (long)channel * g.OutSpatial;
                    for (int t = first; t < last;)
                    {
                        int ty = t / tileCols, j = t - ty * tileCols;
                        int count = Math.Min(last - t, tileCols - j); // this tile row's share of the chunk
                        float* row0 = plane + (long)2 * ty * width + 2 * j;
                        int values = Math.Min(2 * count, width - 2 * j);
                        int offset = t - first;
                        Interleave(y00 + offset, y01 + offset, row0, values);
                        if (2 * ty + 1 < g.OutHeight) Interleave(y10 + offset, y11 + offset, row0 + width, values);
                        t += count;
                    }
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(scratch); }
    }

    /// <summary>
    /// The 2x2 outputs (+ bias) of <paramref name="count"/> tiles from their 16 products (position e at
    /// p + e * stride): first s0 = m0 + m1 + m2 and s1 = m1 - m2 - m3 down each column h of the 4x4
    /// products, then the same across: y[r][0] = s_r0 + s_r1 + s_r2, y[r][1] = s_r1 - s_r2 - s_r3.
    /// </summary>
    private static void CombineProducts(float* p, long stride, float bias, int count, float* y00, float* y01, float* y10, float* y11)
    {
        int t = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var b = Vector512.Create(bias);
            for (; t + 16 <= count; t += 16)
            {
                float* q = p + t;
                var s00 = Vector512.Load(q) + Vector512.Load(q + 4 * stride) + Vector512.Load(q + 8 * stride);
                var s10 = Vector512.Load(q + 4 * stride) - Vector512.Load(q + 8 * stride) - Vector512.Load(q + 12 * stride);
                q += stride;
                var s01 = Vector512.Load(q) + Vector512.Load(q + 4 * stride) + Vector512.Load(q + 8 * stride);
                var s11 = Vector512.Load(q + 4 * stride) - Vector512.Load(q + 8 * stride) - Vector512.Load(q + 12 * stride);
                q += stride;
                var s02 = Vector512.Load(q) + Vector512.Load(q + 4 * stride) + Vector512.Load(q + 8 * stride);
                var s12 = Vector512.Load(q + 4 * stride) - Vector512.Load(q + 8 * stride) - Vector512.Load(q + 12 * stride);
                q += stride;
                var s03 = Vector512.Load(q) + Vector512.Load(q + 4 * stride) + Vector512.Load(q + 8 * stride);
                var s13 = Vector512.Load(q + 4 * stride) - Vector512.Load(q + 8 * stride) - Vector512.Load(q + 12 * stride);
                Vector512.Store(s00 + s01 + s02 + b, y00 + t);
                Vector512.Store(s01 - s02 - s03 + b, y01 + t);
                Vector512.Store(s10 + s11 + s12 + b, y10 + t);
                Vector512.Store(s11 - s12 - s13 + b, y11 + t);
            }
        }
        for (; t < count; t++)
        {
            float* q = p + t;
            float s00 = q[0] + q[4 * stride] + q[8 * stride], s10 = q[4 * stride] - q[8 * stride] - q[12 * stride];
            q += stride;
            float s01 = q[0] + q[4 * stride] + q[8 * stride], s11 = q[4 * stride] - q[8 * stride] - q[12 * stride];
            q += stride;
            float s02 = q[0] + q[4 * stride] + q[8 * stride], s12 = q[4 * stride] - q[8 * stride] - q[12 * stride];
            q += stride;
            float s03 = q[0] + q[4 * stride] + q[8 * stride], s13 = q[4 * stride] - q[8 * stride] - q[12 * stride];
            y00[t] = s00 + s01 + s02 + bias;
            y01[t] = s01 - s02 - s03 + bias;
            y10[t] = s10 + s11 + s12 + bias;
            y11[t] = s11 - s12 - s13 + bias;
        }
    }

    private static readonly Vector512<int> InterleaveLow = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> InterleaveHigh = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);

    /// <summary>row = left[0], right[0], left[1], right[1], ... cut at <paramref name="width"/> values.</summary>
    private static void Interleave(float* left, float* right, float* row, int width)
    {
        int j = 0;
        if (Avx512F.IsSupported)
            for (; 2 * j + 32 <= width; j += 16)
            {
                var l = Vector512.Load(left + j);
                var r = Vector512.Load(right + j);
                Vector512.Store(Avx512F.PermuteVar16x32x2(l, InterleaveLow, r), row + 2 * j);
                Vector512.Store(Avx512F.PermuteVar16x32x2(l, InterleaveHigh, r), row + 2 * j + 16);
            }
        for (; 2 * j + 1 < width; j++)
        {
            row[2 * j] = left[j];
            row[2 * j + 1] = right[j];
        }
        if (2 * j < width) row[2 * j] = left[j];
    }

    /// <summary>d[i] = a[i] - b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract(float* a, float* b, float* d, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= count; i += 16) Vector512.Store(Vector512.Load(a + i) - Vector512.Load(b + i), d + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(a + i) - Vector256.Load(b + i), d + i);
        for (; i < count; i++) d[i] = a[i] - b[i];
    }

    /// <summary>d[i] = a[i] + b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* a, float* b, float* d, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= count; i += 16) Vector512.Store(Vector512.Load(a + i) + Vector512.Load(b + i), d + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(a + i) + Vector256.Load(b + i), d + i);
        for (; i < count; i++) d[i] = a[i] + b[i];
    }
}
