using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// Evaluates one model input per (image, channel) pair in batches, for the CAMs that score each
/// activation channel by a forward pass (score-cam, ablation-cam). Pair p is image p / channels,
/// channel p % channels; a batch may span images, and each pair's score depends only on the pair,
/// so results are the same at any batch size. Progress is reported and cancellation checked per batch.
/// </summary>
internal static class ChannelScores
{
    /// <summary>Builds and runs pairs [first, first + count): returns their logits [count, classes].</summary>
    public delegate Tensor RunBatch(int first, int count);

    /// <summary>The target logit of every pair, [images × channels].</summary>
    public static float[] Evaluate(AttributionMethod method, int images, int channels, int[] targets, int batchSize, RunBatch run)
    {
        int total = images * channels;
        var scores = new float[total];
        for (int first = 0; first < total; first += batchSize)
        {
            method.Cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, total - first);
            var logits = run(first, count);
            if (logits.Rank != 2 || logits.Dim(0) != count)
                throw new ShapeMismatchException($"model output is {logits} for a batch of {count}; CAM methods expect [N, classes]");
            int classes = logits.Dim(1);
            for (int i = 0; i < count; i++)
                scores[first + i] = logits.Data[i * classes + targets[(first + i) / channels]];
            method.Progress?.Report(new AttributionProgress(method.Name, first + count, total));
        }
        return scores;
    }
}
