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
            for (int n = 0; n < g.Batch; n++)
                for (int group = 0; group < g.Groups; group++)
                {
                    var target = new Span<float>(y + ((long)n * g.OutChannels + group * mg) * spatial, mg * spatial);
                    if (bias.IsEmpty) target.Clear();
                    else
                        for (int m = 0; m < mg; m++) target.Slice(m * spatial, spatial).Fill(b[group * mg + m]);
                }
            int tileRows = TileRows(g);
            if (!g.IsPointwise && tileRows < g.OutHeight)
            {
                ForwardTiled(g, x, w, packedWeights, y, tileRows);
                return;
            }
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

    /// <summary>Patch-matrix values per tile: 128 Ki floats (512 KiB) keeps a tile's columns inside a 1 MiB L2.</summary>
    private const int TileValues = 512 * 1024;

    /// <summary>Output rows per im2col tile, or all rows when the whole patch matrix is already small.</summary>
    private static int TileRows(ConvolutionGeometry g)
    {
        long perRow = (long)g.PatchSize * g.OutWidth;
        return (int)Math.Clamp(TileValues / Math.Max(1, perRow), 1, g.OutHeight);
    }

    /// <summary>
    /// im2col + GEMM over tiles of output rows, the tiles shared among threads: each tile's patch
    /// matrix is unfolded and consumed while still in cache instead of a whole-image matrix making a
    /// round trip through memory. The output already holds the bias; products accumulate onto it.
    /// </summary>
    private static void ForwardTiled(ConvolutionGeometry g, float* x, float* w, PackedMatrix[]? packedWeights, float* y, int tileRows)
    {
        int mg = g.OutChannelsPerGroup, kg = g.PatchSize, spatial = g.OutSpatial;
        int tilesPerImage = (g.OutHeight + tileRows - 1) / tileRows;
        int tileCount = g.Batch * g.Groups * tilesPerImage;
        // Unpacked weights are read in place by every tile (the caller keeps them pinned).
        nint input = (nint)x, output = (nint)y, weightAddress = (nint)w;
        Parallelism.For(tileCount, (start, end) =>
        {
            var columns = ArrayPool<float>.Shared.Rent(kg * tileRows * g.OutWidth);
            try
            {
                fixed (float* col = columns)
                    for (int tile = start; tile < end; tile++)
                    {
                        int image = tile / (g.Groups * tilesPerImage), group = tile / tilesPerImage % g.Groups, rowTile = tile % tilesPerImage;
                        int firstRow = rowTile * tileRows, endRow = Math.Min(g.OutHeight, firstRow + tileRows);
                        int width = (endRow - firstRow) * g.OutWidth;
                        float* inPlanes = (float*)input + ((long)image * g.InChannels + group * g.InChannelsPerGroup) * g.InSpatial;
                        float* outStart = (float*)output + ((long)image * g.OutChannels + group * mg) * spatial + (long)firstRow * g.OutWidth;
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
        }, 2.0 * mg * kg * tileRows * g.OutWidth);
    }

    /// <summary>
    /// Each group's weight matrix transposed ([C/groups*kH*kW, M/groups] row-major), for
    /// <see cref="BackwardData(ConvolutionGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>:
    /// the GEMM then reads it in place instead of gathering a transposed copy on every call.
    /// </summary>
    public static float[] TransposeWeights(ConvolutionGeometry g, ReadOnlySpan<float> weights)
    {
        int mg = g.OutChannelsPerGroup, kg = g.PatchSize;
        var transposed = new float[weights.Length];
        for (int group = 0; group < g.Groups; group++)
        {
            var source = weights.Slice(group * mg * kg, mg * kg);
            var target = transposed.AsSpan(group * mg * kg, mg * kg);
            for (int m = 0; m < mg; m++)
                for (int p = 0; p < kg; p++) target[p * mg + m] = source[m * kg + p];
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
            int mg = g.OutChannelsPerGroup, kg = g.PatchSize, spatial = g.OutSpatial;
            int tileRows = BackwardTileRows(g);
            if (!g.IsPointwise && !transposedWeights.IsEmpty && tileRows < g.OutHeight)
            {
                fixed (float* wt = transposedWeights) BackwardDataTiled(g, dy, wt, dx, tileRows);
                return;
            }
            float[]? columns = g.IsPointwise ? null : ArrayPool<float>.Shared.Rent(kg * spatial);
            try
            {
                fixed (float* col = columns)
                    for (int n = 0; n < g.Batch; n++)
                        for (int group = 0; group < g.Groups; group++)
                        {
                            float* inPlanes = dx + ((long)n * g.InChannels + group * g.InChannelsPerGroup) * g.InSpatial;
                            var gradient = new ReadOnlySpan<float>(dy + ((long)n * g.OutChannels + group * mg) * spatial, mg * spatial);
                            // columns = W_g^T * dY_g, then summed back onto the input positions.
                            float* target = columns is null ? inPlanes : col;
                            if (transposedWeights.IsEmpty)
                                Gemm.Multiply(true, false, kg, spatial, mg, 1f, weights.Slice(group * mg * kg, mg * kg), kg,
                                    gradient, spatial, 0f, new Span<float>(target, kg * spatial), spatial);
                            else
                                Gemm.Multiply(false, false, kg, spatial, mg, 1f, transposedWeights.Slice(group * mg * kg, mg * kg), mg,
                                    gradient, spatial, 0f, new Span<float>(target, kg * spatial), spatial);
                            if (columns is not null)
                            {
                                new Span<float>(inPlanes, g.InChannelsPerGroup * g.InSpatial).Clear();
                                Im2Col.FoldAdd(g, col, inPlanes);
                            }
                        }
            }
            finally
            {
                if (columns is not null) ArrayPool<float>.Shared.Return(columns);
            }
        }
    }

    /// <summary>
    /// Output rows per tile of the data gradient: as for the forward, but at least a (dilated) kernel's
    /// height of input rows per tile, so tiles two apart never add into the same input row.
    /// </summary>
    private static int BackwardTileRows(ConvolutionGeometry g)
    {
        int reach = ((g.KernelHeight - 1) * g.DilationHeight + 1 + g.StrideHeight - 1) / g.StrideHeight;
        return Math.Min(g.OutHeight, Math.Max(TileRows(g), reach));
    }

    /// <summary>
    /// The data gradient over tiles of output rows: each tile's patch-matrix columns (W^T * dY for those
    /// rows, from the transposed weights read in place) are folded onto the input while still in cache,
    /// instead of a whole-image matrix making a round trip through memory. Neighbouring tiles share input
    /// rows, so even tiles run in parallel first, then odd ones.
    /// </summary>
    private static void BackwardDataTiled(ConvolutionGeometry g, float* dy, float* wt, float* dx, int tileRows)
    {
        int mg = g.OutChannelsPerGroup, kg = g.PatchSize, spatial = g.OutSpatial;
        int tilesPerImage = (g.OutHeight + tileRows - 1) / tileRows;
        new Span<float>(dx, g.Batch * g.InChannels * g.InSpatial).Clear();
        nint gradient = (nint)dy, input = (nint)dx, weights = (nint)wt;
        for (int phase = 0; phase < 2; phase++)
        {
            int perImage = (tilesPerImage - phase + 1) / 2;
            int count = g.Batch * g.Groups * perImage;
            // Too few tiles to share out: each tile's product runs on every thread instead.
            bool splitTiles = count >= Parallelism.MaxThreads;
            void RunTiles(int start, int end)
            {
                var columns = ArrayPool<float>.Shared.Rent(kg * tileRows * g.OutWidth);
                try
                {
                    fixed (float* col = columns)
                        for (int item = start; item < end; item++)
                        {
                            int image = item / (g.Groups * perImage), group = item / perImage % g.Groups;
                            int rowTile = item % perImage * 2 + phase;
                            int firstRow = rowTile * tileRows, endRow = Math.Min(g.OutHeight, firstRow + tileRows);
                            int width = (endRow - firstRow) * g.OutWidth;
                            float* gradientStart = (float*)gradient + ((long)image * g.OutChannels + group * mg) * spatial + (long)firstRow * g.OutWidth;
                            float* inPlanes = (float*)input + ((long)image * g.InChannels + group * g.InChannelsPerGroup) * g.InSpatial;
                            Gemm.Multiply(false, false, kg, width, mg, 1f, new ReadOnlySpan<float>((float*)weights + (long)group * mg * kg, mg * kg), mg,
                                new ReadOnlySpan<float>(gradientStart, (mg - 1) * spatial + width), spatial, 0f,
                                new Span<float>(col, kg * width), width, parallel: !splitTiles);
                            Im2Col.FoldAddRows(g, col, inPlanes, firstRow, endRow);
                        }
                }
                finally { ArrayPool<float>.Shared.Return(columns); }
            }
            if (splitTiles) Parallelism.For(count, RunTiles, 2.0 * mg * kg * tileRows * g.OutWidth);
            else RunTiles(0, count);
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
