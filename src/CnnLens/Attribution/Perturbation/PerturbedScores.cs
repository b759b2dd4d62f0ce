using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>
/// Evaluates many perturbed copies of one image in batches of <c>batchSize</c>: the caller writes
/// perturbation i into a [C,H,W] span, this runs the model and returns the target score of each.
/// Perturbation i depends only on i (never on batch boundaries), so results are the same at any
/// batch size and thread count. Progress is reported and cancellation checked after every batch.
/// </summary>
public static class PerturbedScores
{
    /// <summary>Upper bound of one batch of perturbed inputs, checked before any work starts.</summary>
    public const long MaxBatchBytes = 2L << 30;

    /// <summary>Writes perturbed input <c>index</c> into <c>destination</c> ([C,H,W] of one image); called from several threads at once.</summary>
    public delegate void Fill(int index, Span<float> destination);

    /// <summary>
    /// Scores of <paramref name="count"/> perturbations: <paramref name="score"/> picks one number
    /// from each row of logits (default: the logit of <paramref name="target"/>).
    /// </summary>
    public static float[] Evaluate(
        Model model, ReadOnlySpan<int> imageShape, int count, Fill fill, int target, int batchSize,
        AttributionMethod method, Func<ReadOnlySpan<float>, float>? score = null)
    {
        CheckBatch(imageShape, batchSize);
        int perImage = Tensor.CheckedLength(imageShape);
        var scores = new float[count];
        int[] batchShape = [0, .. imageShape];
        for (int start = 0; start < count; start += batchSize)
        {
            method.Cancellation.ThrowIfCancellationRequested();
            int n = Math.Min(batchSize, count - start);
            batchShape[0] = n;
            var batch = new Tensor(batchShape);
            Parallelism.For(n, (from, to) =>
            {
                for (int i = from; i < to; i++) fill(start + i, batch.Data.AsSpan(i * perImage, perImage));
            }, costPerItem: perImage);
            var logits = model.Predict(batch);
            int classes = logits.Dim(1);
            for (int i = 0; i < n; i++)
            {
                var row = logits.Data.AsSpan(i * classes, classes);
                scores[start + i] = score is null ? row[target] : score(row);
            }
            method.Progress?.Report(new AttributionProgress(method.Name, start + n, count));
        }
        return scores;
    }

    /// <summary>Rejects a batch size that is not positive or whose inputs alone would not fit in memory.</summary>
    public static void CheckBatch(ReadOnlySpan<int> imageShape, int batchSize)
    {
        if (batchSize < 1) throw new InvalidOptionException($"--batch-size must be at least 1, not {batchSize}");
        long bytes = (long)batchSize * Tensor.CheckedLength(imageShape) * sizeof(float);
        if (bytes > MaxBatchBytes)
            throw new InvalidOptionException(
                $"--batch-size {batchSize} needs {bytes >> 20} MB for the perturbed inputs alone; use a batch size below {MaxBatchBytes / (bytes / batchSize)}");
    }
}
