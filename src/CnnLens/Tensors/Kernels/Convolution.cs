using System.Buffers;

namespace CnnLens.Tensors.Kernels;

/// <summary>
/// 2-D NCHW convolution and its gradients. The general path unfolds each image group with im2col
/// and multiplies by the (optionally pre-packed) weights with <see cref="Gemm"/>; 1x1 stride-1
/// unpadded convolutions multiply the input planes directly; depthwise convolutions use a direct
/// SIMD loop. Bias is written into the output before the product accumulates onto it.
/// </summary>
public static unsafe class Convolution
{
    /// <summary>Packs each group's weight matrix ([M/groups, C/groups*kH*kW]) for <see cref="Forward"/>.</summary>
    public static PackedMatrix[] PackWeights(ConvolutionGeometry g, ReadOnlySpan<float> weights)
    {
        int mg = g.OutChannelsPerGroup, kg = g.PatchSize;
        var packed = new PackedMatrix[g.Groups];
        for (int group = 0; group < g.Groups; group++)
            packed[group] = Gemm.PackLeft(false, mg, kg, weights.Slice(group * mg * kg, mg * kg), kg);
        return packed;
    }

    /// <summary>
    /// output = conv(input, weights) + bias. <paramref name="bias"/> may be empty; <paramref name="packedWeights"/>
    /// (from <see cref="PackWeights"/>) may be null, and is ignored by the depthwise path. Without it the
    /// GEMM reads the weights in place (measured as fast for spatial kernels) and no copy is kept in memory.
    /// </summary>
    public static void Forward(ConvolutionGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        PackedMatrix[]? packedWeights, ReadOnlySpan<float> bias, Span<float> output)
    {
        CheckLengths(g, input.Length, weights.Length, output.Length);
        if (!bias.IsEmpty && bias.Length != g.OutChannels)
            throw new ShapeMismatchException($"convolution bias has {bias.Length} values for {g.OutChannels} output channels");
        fixed (float* x = input, w = weights, b = bias, y = output)
        {
            if (g.IsDepthwise)
            {
                DepthwiseConvolution.Forward(g, x, w, bias.IsEmpty ? null : b, y);
                return;
            }
            int mg = g.OutChannelsPerGroup, kg = g.PatchSize, spatial = g.OutSpatial;
            int tiles = ForwardTilesPerImage(g);
            if (!g.IsPointwise && tiles > 0)
            {
                ForwardTiled(g, x, w, packedWeights, bias.IsEmpty ? null : b, y, tiles);
                return;
            }
            for (int n = 0; n < g.Batch; n++)
                for (int group = 0; group < g.Groups; group++)
                    StartOutput(g, bias.IsEmpty ? null : b, y + ((long)n * g.OutChannels + group * mg) * spatial, group, 0, spatial);
            float[]? columns = g.IsPointwise ? null : ArrayPool<float>.Shared.Rent(kg * spatial);
            try
            {
                fixed (float* col = columns)
                    for (int n = 0; n < g.Batch; n++)
                        for (int group = 0; group < g.Groups; group++)
                        {
                            float* inPlanes = x + ((long)n * g.InChannels + group * g.InChannelsPerGroup) * g.InSpatial;
                            float* outPlanes = y + ((long)n * g.OutChannels + group * mg) * spatial;
                            var target = new Span<float>(outPlanes, mg * spatial);
                            float* right = inPlanes;
                            if (columns is not null)
                            {
                                Im2Col.Unfold(g, inPlanes, col);
                                right = col;
                            }
                            var rightSpan = new ReadOnlySpan<float>(right, kg * spatial);
                            if (packedWeights is not null)
                                Gemm.Multiply(packedWeights[group], false, spatial, 1f, rightSpan, spatial, 1f, target, spatial);
                            else
                                Gemm.Multiply(false, false, mg, spatial, kg, 1f, weights.Slice(group * mg * kg, mg * kg), kg,
                                    rightSpan, spatial, 1f, target, spatial);
                        }
            }
            finally
            {
                if (columns is not null) ArrayPool<float>.Shared.Return(columns);
            }
        }
    }

    /// <summary>
    /// Sets positions [<paramref name="first"/>, first + <paramref name="count"/>) of a group's output planes
    /// (from <paramref name="planes"/>) to their channel's bias, or zero: the products then add onto them.
    /// </summary>
    private static void StartOutput(ConvolutionGeometry g, float* bias, float* planes, int group, int first, int count)
    {
        int mg = g.OutChannelsPerGroup, spatial = g.OutSpatial;
        for (int m = 0; m < mg; m++)
        {
            var target = new Span<float>(planes + (long)m * spatial + first, count);
            if (bias is null) target.Clear();
            else target.Fill(bias[group * mg + m]);
        }
    }

    /// <summary>Patch-matrix values per tile: 512 Ki floats (2 MiB) keeps a tile's columns inside one core's L2.</summary>
    private const int TileValues = 512 * 1024;

    /// <summary>Tiles of output rows the cache budget asks for per image (1 when the whole patch matrix is small).</summary>
    private static int BudgetTiles(ConvolutionGeometry g)
    {
        long perRow = (long)g.PatchSize * g.OutWidth;
        int rows = (int)Math.Clamp(TileValues / Math.Max(1, perRow), 1, g.OutHeight);
        return (g.OutHeight + rows - 1) / rows;
    }

    /// <summary>
    /// Row tiles per image for <see cref="ForwardTiled"/>, or 0 for the untiled path: at least the cache
    /// budget's count, raised until the tiles of the whole batch divide evenly among the threads (28 rows
    /// on two threads are 14 + 14, not a 16-row budget tile + 12). One image with a small patch matrix
    /// stays untiled: its unfold and product are each split over all threads.
    /// </summary>
    private static int ForwardTilesPerImage(ConvolutionGeometry g)
    {
        int tiles = BudgetTiles(g), items = g.Batch * g.Groups, threads = Parallelism.MaxThreads;
        if (tiles == 1 && items < threads) return 0;
        while (tiles < g.OutHeight && (long)items * tiles % threads != 0) tiles++;
        return tiles;
    }

    /// <summary>First output row of row tile <paramref name="tile"/> of <paramref name="tiles"/>: tiles differ by at most one row.</summary>
    private static int TileStart(int rows, int tile, int tiles) => (int)((long)rows * tile / tiles);

    /// <summary>
    /// im2col + GEMM over tiles of output rows, the tiles shared among threads: each tile's patch
    /// matrix is unfolded and consumed while still in cache instead of a whole-image matrix making a
    /// round trip through memory. Each tile writes its rows' bias (in parallel, into cache) and the
    /// products accumulate onto it.
    /// </summary>
    private static void ForwardTiled(ConvolutionGeometry g, float* x, float* w, PackedMatrix[]? packedWeights, float* bias, float* y, int tilesPerImage)
    {
        int mg = g.OutChannelsPerGroup, kg = g.PatchSize, spatial = g.OutSpatial;
        int maxRows = (g.OutHeight + tilesPerImage - 1) / tilesPerImage;
        int tileCount = g.Batch * g.Groups * tilesPerImage;
        // Unpacked weights are read in place by every tile (the caller keeps them pinned).
        nint input = (nint)x, output = (nint)y, weightAddress = (nint)w, biasAddress = (nint)bias;
        Parallelism.For(tileCount, (start, end) =>
        {
            var columns = ArrayPool<float>.Shared.Rent(kg * maxRows * g.OutWidth);
            try
            {
                fixed (float* col = columns)
                    for (int tile = start; tile < end; tile++)
                    {
                        int image = tile / (g.Groups * tilesPerImage), group = tile / tilesPerImage % g.Groups, rowTile = tile % tilesPerImage;
                        int firstRow = TileStart(g.OutHeight, rowTile, tilesPerImage), endRow = TileStart(g.OutHeight, rowTile + 1, tilesPerImage);
                        int width = (endRow - firstRow) * g.OutWidth;
                        float* inPlanes = (float*)input + ((long)image * g.InChannels + group * g.InChannelsPerGroup) * g.InSpatial;
                        float* outPlanes = (float*)output + ((long)image * g.OutChannels + group * mg) * spatial;
                        float* outStart = outPlanes + (long)firstRow * g.OutWidth;
                        StartOutput(g, (float*)biasAddress, outPlanes, group, firstRow * g.OutWidth, width);
                        Im2Col.UnfoldRows(g, inPlanes, col, firstRow, endRow);
                        var right = new ReadOnlySpan<float>(col, kg * width);
                        var target = new Span<float>(outStart, (mg - 1) * spatial + width);
                        if (packedWeights is not null)
                            Gemm.Multiply(packedWeights[group], false, width, 1f, right, width, 1f, target, spatial, parallel: false);
                        else
                            Gemm.Multiply(false, false, mg, width, kg, 1f, new ReadOnlySpan<float>((float*)weightAddress + (long)group * mg * kg, mg * kg), kg,
                                right, width, 1f, target, spatial, parallel: false);
                    }
            }
            finally { ArrayPool<float>.Shared.Return(columns); }
        }, 2.0 * mg * kg * maxRows * g.OutWidth);
    }

    /// <summary>
    /// Each group's weight matrix transposed ([C/groups*kH*kW, M/groups] row-major), for
    /// <see cref="BackwardData(ConvolutionGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>:
    /// the GEMM then reads it in place instead of gathering a transposed copy on every call.
    /// </summary>
    public static float[] TransposeWeights(ConvolutionGeometry g, ReadOnlySpan<float> weights)
    {
        int mg = g.OutChannelsPerGroup, kg = g.PatchSize;
        if (weights.Length != g.OutChannels * kg)
            throw new ShapeMismatchException($"convolution weights have {weights.Length} values, expected {g.OutChannels * kg}");
        var transposed = new float[weights.Length];
        // Stripes of 16 filters: each patch row of the copy gets 16 adjacent values from 16 sequential
        // reads, instead of one value per cache line written (a first reverse pass over ResNet-18 spent
        // 94 ms here element by element).
        const int stripe = 16;
        int stripes = (mg + stripe - 1) / stripe;
        fixed (float* source = weights, target = transposed)
        {
            nint from = (nint)source, to = (nint)target;
            Parallelism.For(g.Groups * stripes, (start, end) =>
            {
                for (int item = start; item < end; item++)
                {
                    int group = item / stripes, m0 = item % stripes * stripe, m1 = Math.Min(mg, m0 + stripe);
                    float* s = (float*)from + (long)group * mg * kg, t = (float*)to + (long)group * mg * kg;
                    for (int p = 0; p < kg; p++)
                        for (int m = m0; m < m1; m++) t[(long)p * mg + m] = s[(long)m * kg + p];
                }
            }, 2.0 * stripe * kg);
        }
        return transposed;
    }

    /// <summary>Overwrites <paramref name="inputGradient"/> with d(loss)/d(input) given d(loss)/d(output).</summary>
    public static void BackwardData(ConvolutionGeometry g, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weights, Span<float> inputGradient) =>
        BackwardData(g, outputGradient, weights, default, inputGradient);

    /// <summary>
    /// As above, with the weights also given transposed by <see cref="TransposeWeights"/> (may be
    /// empty): measured 1.5-2.4x faster on ResNet-18's deeper layers, whose weight matrices are large.
    /// </summary>
    public static void BackwardData(ConvolutionGeometry g, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> transposedWeights, Span<float> inputGradient)
    {
        CheckLengths(g, inputGradient.Length, weights.Length, outputGradient.Length);
        if (!transposedWeights.IsEmpty && transposedWeights.Length != weights.Length)
            throw new ShapeMismatchException($"transposed convolution weights have {transposedWeights.Length} values, expected {weights.Length}");
        fixed (float* dy = outputGradient, w = weights, dx = inputGradient)
        {
            if (g.IsDepthwise)
            {
                DepthwiseConvolution.BackwardData(g, dy, w, dx);
                return;
            }
            if (!g.IsPointwise)
            {
                fixed (float* wt = transposedWeights) BackwardDataByChannels(g, dy, w, transposedWeights.IsEmpty ? null : wt, dx);
                return;
            }
            // 1x1 stride 1: W_g^T * dY_g is the input gradient itself.
            int mg = g.OutChannelsPerGroup, kg = g.PatchSize, spatial = g.OutSpatial;
            for (int n = 0; n < g.Batch; n++)
                for (int group = 0; group < g.Groups; group++)
                {
                    var gradient = new ReadOnlySpan<float>(dy + ((long)n * g.OutChannels + group * mg) * spatial, mg * spatial);
                    var target = new Span<float>(dx + ((long)n * g.InChannels + group * g.InChannelsPerGroup) * g.InSpatial, kg * spatial);
                    if (transposedWeights.IsEmpty)
                        Gemm.Multiply(true, false, kg, spatial, mg, 1f, weights.Slice(group * mg * kg, mg * kg), kg, gradient, spatial, 0f, target, spatial);
                    else
                        Gemm.Multiply(false, false, kg, spatial, mg, 1f, transposedWeights.Slice(group * mg * kg, mg * kg), mg, gradient, spatial, 0f, target, spatial);
                }
        }
    }

    /// <summary>
    /// The data gradient through im2col: patch-matrix columns W^T * dY, summed back onto the input (col2im),
    /// over tiles of output rows so each tile's columns are folded while still in cache.
    /// Threads split the images and groups, then the input channels: the rows of W^T belonging to channels
    /// [c0, c1) give exactly the patch-matrix rows that fold into input planes [c0, c1), so threads never
    /// write the same memory and each folds its own product with no barrier. The tiles then follow the
    /// cache budget only and the split changes no sum: every thread count gives the same bits.
    /// Too few channels to share evenly (an RGB stem): the threads share row tiles instead, even tiles
    /// first, then odd ones (neighbours add into the same input rows), as many per phase as threads.
    /// <paramref name="wt"/> (the weights transposed by <see cref="TransposeWeights"/>) may be null.
    /// </summary>
    private static void BackwardDataByChannels(ConvolutionGeometry g, float* dy, float* w, float* wt, float* dx)
    {
        int mg = g.OutChannelsPerGroup, kg = g.PatchSize, spatial = g.OutSpatial;
        int kernelArea = g.KernelHeight * g.KernelWidth, channels = g.InChannelsPerGroup;
        int tiles = BudgetTiles(g), items = g.Batch * g.Groups, threads = Parallelism.MaxThreads;
        int parts = 1;
        bool phased = false;
        if (items % threads != 0)
        {
            // Rows of the (dilated) kernel's reach: tiles two apart must not add into the same input row.
            int reach = ((g.KernelHeight - 1) * g.DilationHeight + 1 + g.StrideHeight - 1) / g.StrideHeight;
            int shared = (tiles + 2 * threads - 1) / (2 * threads) * 2 * threads;
            phased = channels % threads != 0 && channels < 8 * threads && g.OutHeight / shared >= reach;
            if (phased) tiles = shared;
            else parts = Math.Min(channels, threads);
        }
        int maxRows = (g.OutHeight + tiles - 1) / tiles, maxChannels = (channels + parts - 1) / parts;
        // Row tiles of one plane run in different units: clear every plane first. Otherwise each unit
        // clears its own planes just before its first fold, in parallel and while they are still in cache.
        if (phased) new Span<float>(dx, g.Batch * g.InChannels * g.InSpatial).Clear();
        nint gradient = (nint)dy, input = (nint)dx, weights = (nint)w, transposed = (nint)wt;
        for (int phase = 0; phase < (phased ? 2 : 1); phase++)
        {
            // A unit: one channel part over every tile, or (phased) one tile of this phase's parity.
            int unitsPerItem = phased ? (tiles - phase + 1) / 2 : parts;
            int count = items * unitsPerItem;
            // Too few units to share out: each product runs on every thread instead.
            bool splitUnits = count >= threads;
            void RunUnits(int start, int end)
            {
                var columns = ArrayPool<float>.Shared.Rent(maxChannels * kernelArea * maxRows * g.OutWidth);
                try
                {
                    fixed (float* col = columns)
                        for (int unit = start; unit < end; unit++)
                        {
                            int image = unit / (g.Groups * unitsPerItem), group = unit / unitsPerItem % g.Groups, index = unit % unitsPerItem;
                            int part = phased ? 0 : index;
                            int firstTile = phased ? index * 2 + phase : 0, endTile = phased ? firstTile + 1 : tiles;
                            int c0 = (int)((long)channels * part / parts), c1 = (int)((long)channels * (part + 1) / parts);
                            int rows = (c1 - c0) * kernelArea, firstPatchRow = c0 * kernelArea;
                            float* inPlanes = (float*)input + ((long)image * g.InChannels + group * channels + c0) * g.InSpatial;
                            for (int tile = firstTile; tile < endTile; tile++)
                            {
                                int firstRow = TileStart(g.OutHeight, tile, tiles), endRow = TileStart(g.OutHeight, tile + 1, tiles);
                                int width = (endRow - firstRow) * g.OutWidth;
                                var gradientRows = new ReadOnlySpan<float>((float*)gradient + ((long)image * g.OutChannels + group * mg) * spatial + (long)firstRow * g.OutWidth,
                                    (mg - 1) * spatial + width);
                                var target = new Span<float>(col, rows * width);
                                // W^T rows [c0 * kH * kW, c1 * kH * kW) of this group: rows of the transposed copy, or columns of W.
                                if (transposed != 0)
                                    Gemm.Multiply(false, false, rows, width, mg, 1f,
                                        new ReadOnlySpan<float>((float*)transposed + (long)group * mg * kg + (long)firstPatchRow * mg, rows * mg), mg,
                                        gradientRows, spatial, 0f, target, width, parallel: !splitUnits);
                                else
                                    Gemm.Multiply(true, false, rows, width, mg, 1f,
                                        new ReadOnlySpan<float>((float*)weights + (long)group * mg * kg + firstPatchRow, (mg - 1) * kg + rows), kg,
                                        gradientRows, spatial, 0f, target, width, parallel: !splitUnits);
                                if (!phased && tile == 0) new Span<float>(inPlanes, (c1 - c0) * g.InSpatial).Clear();
                                Im2Col.FoldAddRows(g, col, inPlanes, c1 - c0, firstRow, endRow);
                            }
                        }
                }
                finally { ArrayPool<float>.Shared.Return(columns); }
            }
            if (splitUnits) Parallelism.For(count, RunUnits, 2.0 * mg * kg * spatial / (phased ? tiles : parts));
            else RunUnits(0, count);
        }
    }

    /// <summary>Overwrites <paramref name="weightGradient"/> with d(loss)/d(weights), summed over the batch.</summary>
    public static void BackwardWeights(ConvolutionGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient)
    {
        CheckLengths(g, input.Length, weightGradient.Length, outputGradient.Length);
        fixed (float* x = input, dy = outputGradient, dw = weightGradient)
        {
            if (g.IsDepthwise)
            {
                DepthwiseConvolution.BackwardWeights(g, x, dy, dw);
                return;
            }
            int mg = g.OutChannelsPerGroup, kg = g.PatchSize, spatial = g.OutSpatial;
            float[]? columns = g.IsPointwise ? null : ArrayPool<float>.Shared.Rent(kg * spatial);
            try
            {
                fixed (float* col = columns)
                    for (int n = 0; n < g.Batch; n++)
                        for (int group = 0; group < g.Groups; group++)
                        {
                            float* inPlanes = x + ((long)n * g.InChannels + group * g.InChannelsPerGroup) * g.InSpatial;
                            var gradient = new ReadOnlySpan<float>(dy + ((long)n * g.OutChannels + group * mg) * spatial, mg * spatial);
                            float* right = inPlanes;
                            if (columns is not null)
                            {
                                Im2Col.Unfold(g, inPlanes, col);
                                right = col;
                            }
                            // dW_g (+)= dY_g * columns^T
                            Gemm.Multiply(false, true, mg, kg, spatial, 1f, gradient, spatial,
                                new ReadOnlySpan<float>(right, kg * spatial), spatial, n == 0 ? 0f : 1f,
                                weightGradient.Slice(group * mg * kg, mg * kg), kg);
                        }
            }
            finally
            {
                if (columns is not null) ArrayPool<float>.Shared.Return(columns);
            }
            if (g.Batch == 0) weightGradient.Clear();
        }
    }

    /// <summary>Overwrites <paramref name="biasGradient"/> with d(loss)/d(bias): the output gradient summed per channel.</summary>
    public static void BackwardBias(int batch, int channels, int spatial, ReadOnlySpan<float> outputGradient, Span<float> biasGradient)
    {
        fixed (float* dy = outputGradient)
            for (int c = 0; c < channels; c++)
            {
                double sum = 0;
                for (int n = 0; n < batch; n++) sum += VectorLoops.Sum(dy + ((long)n * channels + c) * spatial, spatial);
                biasGradient[c] = (float)sum;
            }
    }

    private static void CheckLengths(ConvolutionGeometry g, int inputLength, int weightLength, int outputLength)
    {
        g.Validate();
        if (inputLength != g.Batch * g.InChannels * g.InSpatial)
            throw new ShapeMismatchException($"convolution input has {inputLength} values, expected [{g.Batch},{g.InChannels},{g.InHeight},{g.InWidth}]");
        if (weightLength != g.OutChannels * g.PatchSize)
            throw new ShapeMismatchException($"convolution weights have {weightLength} values, expected [{g.OutChannels},{g.InChannelsPerGroup},{g.KernelHeight},{g.KernelWidth}]");
        if (outputLength != g.Batch * g.OutChannels * g.OutSpatial)
            throw new ShapeMismatchException($"convolution output has {outputLength} values, expected [{g.Batch},{g.OutChannels},{g.OutHeight},{g.OutWidth}]");
    }
}
