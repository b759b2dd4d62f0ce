using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>
/// occlusion (Zeiler and Fergus 2014; Captum <c>Occlusion</c>): a window of (channels, height, width)
/// slides over the image [C,H,W] in steps of <see cref="OcclusionOptions.Strides"/>; each placement
/// replaces the covered elements with the baseline and the drop of the target logit
/// (original − occluded) is added to every element it covered. Each element ends with the mean over
/// the windows that covered it. As in Captum, a dimension of size D takes ceil((D − w) / s) + 1
/// placements starting at 0, s, 2s, ...; a last window reaching past the edge is cut off there.
/// Output [N,C,H,W]. Windows covering all channels run through <see cref="IncrementalForward"/>.
/// </summary>
public sealed class Occlusion(OcclusionOptions? options = null) : AttributionMethod
{
    public OcclusionOptions Options { get; } = options ?? new OcclusionOptions();

    public override string Name => "occlusion";

    /// <summary>The window and strides for an image [C,H,W], checked (as Captum asserts them).</summary>
    public (int[] Window, int[] Strides, int[] Counts) Geometry(ReadOnlySpan<int> imageShape)
    {
        if (imageShape.Length != 3) throw new ShapeMismatchException($"occlusion explains images [N,C,H,W], got an image of rank {imageShape.Length}");
        int[] dims = imageShape.ToArray();
        var window = Options.Window ?? [dims[0], Math.Min(16, dims[1]), Math.Min(16, dims[2])];
        if (window.Length != 3) throw new InvalidOptionException($"--window has {window.Length} values; give C,H,W (3 values) for an image [{string.Join(",", dims)}]");
        var strides = Options.Strides ?? [dims[0], Math.Min(8, window[1]), Math.Min(8, window[2])];
        if (strides.Length != 3) throw new InvalidOptionException($"--stride has {strides.Length} values; give C,H,W (3 values)");
        var counts = new int[3];
        string[] axes = ["channels", "height", "width"];
        for (int d = 0; d < 3; d++)
        {
            if (window[d] < 1) throw new InvalidOptionException($"--window {axes[d]} must be at least 1, not {window[d]}");
            if (window[d] > dims[d]) throw new InvalidOptionException($"--window {string.Join(",", window)} is larger than the image [{string.Join(",", dims)}] in {axes[d]}");
            if (strides[d] < 1) throw new InvalidOptionException($"--stride {axes[d]} must be at least 1, not {strides[d]}");
            if (strides[d] > window[d] && window[d] < dims[d])
                throw new InvalidOptionException($"--stride {strides[d]} is larger than the window ({window[d]}) in {axes[d]}: elements between windows would never be occluded");
            counts[d] = (dims[d] - window[d] + strides[d] - 1) / strides[d] + 1;
        }
        return (window, strides, counts);
    }

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        if (input.Rank != 4) throw new ShapeMismatchException($"occlusion explains images [N,C,H,W], got {input}");
        var imageShape = input.ShapeArray[1..];
        var (window, strides, counts) = Geometry(imageShape);
        PerturbedScores.CheckBatch(imageShape, Options.BatchSize);
        var (original, resolved) = ExplainedScores(model, input, targets);
        var baseline = Options.Baseline.For(input);
        int channels = imageShape[0], height = imageShape[1], width = imageShape[2], perImage = channels * height * width;
        int total = counts[0] * counts[1] * counts[2];
        var result = new Tensor(input.ShapeArray);

        for (int n = 0; n < input.Dim(0); n++)
        {
            var image = input.Data.AsMemory(n * perImage, perImage);
            var reference = baseline.Data.AsMemory(n * perImage, perImage);
            // Captum numbers windows with the channel offset varying fastest.
            (int C, int Y, int X) Start(int index) =>
                (index % counts[0] * strides[0], index / counts[0] % counts[1] * strides[1], index / (counts[0] * counts[1]) * strides[2]);
            void Fill(int index, Span<float> destination)
            {
                image.Span.CopyTo(destination);
                var (c0, y0, x0) = Start(index);
                for (int c = c0; c < Math.Min(channels, c0 + window[0]); c++)
                    for (int y = y0; y < Math.Min(height, y0 + window[1]); y++)
                    {
                        int offset = (c * height + y) * width + x0, length = Math.Min(width, x0 + window[2]) - x0;
                        reference.Span.Slice(offset, length).CopyTo(destination.Slice(offset, length));
                    }
            }
            PixelBox Box(int index)
            {
                var (_, y0, x0) = Start(index);
                return new PixelBox(y0, x0, Math.Min(height, y0 + window[1]) - y0, Math.Min(width, x0 + window[2]) - x0);
            }
            var one = new Tensor([1, .. imageShape], image.ToArray());
            var scores = RegionScores.Evaluate(model, one, total, Fill, Box, resolved[n], Options.BatchSize, this, Options.FullForward);

            var sum = new double[perImage];
            var covered = new int[perImage];
            for (int index = 0; index < total; index++)
            {
                double drop = original[n] - scores[index];
                var (c0, y0, x0) = Start(index);
                for (int c = c0; c < Math.Min(channels, c0 + window[0]); c++)
                    for (int y = y0; y < Math.Min(height, y0 + window[1]); y++)
                        for (int x = x0; x < Math.Min(width, x0 + window[2]); x++)
                        {
                            int i = (c * height + y) * width + x;
                            sum[i] += drop;
                            covered[i]++;
                        }
            }
            var target = result.Data.AsSpan(n * perImage, perImage);
            for (int i = 0; i < perImage; i++) target[i] = (float)(sum[i] / covered[i]);
        }
        return Result(result, resolved);
    }

    protected override IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>
    {
        ["window"] = Options.Window is null ? "C,16,16" : string.Join(",", Options.Window),
        ["stride"] = Options.Strides is null ? "C,8,8" : string.Join(",", Options.Strides),
        ["baseline"] = Options.Baseline.Name,
        ["forward"] = Options.FullForward ? "full" : "incremental",
    };
}
