using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>
/// <see cref="PerturbedScores"/> for perturbations that each stay inside a <see cref="PixelBox"/>
/// (occlusion windows, ablated features): by default each batch runs through
/// <see cref="IncrementalForward"/>, recomputing only what the boxes reach; <c>fullForward</c>
/// runs every perturbed image through the whole model instead. Same scores either way.
/// </summary>
public static class RegionScores
{
    /// <summary>Target logit of each of <paramref name="count"/> perturbations of <paramref name="image"/> [1,C,H,W].</summary>
    public static float[] Evaluate(
        Model model, Tensor image, int count, PerturbedScores.Fill fill, Func<int, PixelBox> box, int target,
        int batchSize, AttributionMethod method, bool fullForward)
    {
        var imageShape = image.ShapeArray[1..];
        if (fullForward) return PerturbedScores.Evaluate(model, imageShape, count, fill, target, batchSize, method);
        PerturbedScores.CheckBatch(imageShape, batchSize);
        method.Cancellation.ThrowIfCancellationRequested();
        int channels = image.Dim(1), height = image.Dim(2), width = image.Dim(3), perImage = channels * height * width;
        var incremental = new IncrementalForward(model, image);
        var scores = new float[count];
        for (int start = 0; start < count; start += batchSize)
        {
            method.Cancellation.ThrowIfCancellationRequested();
            int n = Math.Min(batchSize, count - start);
            var boxes = Enumerable.Range(start, n).Select(box).ToArray();
            int h = Math.Clamp(boxes.Max(b => b.Height), 1, height), w = Math.Clamp(boxes.Max(b => b.Width), 1, width);
            // One window size for the batch: smaller boxes are widened inward (the extra pixels are unchanged).
            var tops = boxes.Select(b => Math.Clamp(b.Top, 0, height - h)).ToArray();
            var lefts = boxes.Select(b => Math.Clamp(b.Left, 0, width - w)).ToArray();
            var values = new Tensor(n, channels, h, w);
            Parallelism.For(n, (from, to) =>
            {
                var perturbed = new float[perImage];
                for (int i = from; i < to; i++)
                {
                    fill(start + i, perturbed);
                    for (int c = 0; c < channels; c++)
                        for (int y = 0; y < h; y++)
                            perturbed.AsSpan(c * height * width + (tops[i] + y) * width + lefts[i], w)
                                .CopyTo(values.Data.AsSpan(((i * channels + c) * h + y) * w, w));
                }
            }, costPerItem: perImage);
            var logits = incremental.Logits(new SpatialPatch(tops, lefts, values));
            int classes = logits.Dim(1);
            for (int i = 0; i < n; i++) scores[start + i] = logits.Data[i * classes + target];
            method.Progress?.Report(new AttributionProgress(method.Name, start + n, count));
        }
        return scores;
    }
}
