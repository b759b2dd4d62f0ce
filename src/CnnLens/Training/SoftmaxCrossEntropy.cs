using CnnLens.Tensors;

namespace CnnLens.Training;

/// <summary>Loss of one batch: mean cross-entropy, how many predictions were right, and d(loss)/d(logits).</summary>
public sealed record BatchLoss(double Loss, int Correct, Tensor Gradient);

/// <summary>
/// PyTorch's <c>CrossEntropyLoss</c> (mean over the batch) on logits [N, K]: loss_n = logsumexp(z_n) − z_n[y_n],
/// and its gradient (softmax(z_n) − onehot(y_n)) / N. Computed in double with the max subtracted.
/// </summary>
public static class SoftmaxCrossEntropy
{
    public static BatchLoss Compute(Tensor logits, ReadOnlySpan<int> labels)
    {
        if (logits.Rank != 2 || logits.Dim(0) != labels.Length)
            throw new ShapeMismatchException($"cross-entropy needs logits [N, K] for {labels.Length} labels, got {logits}");
        int n = logits.Dim(0), k = logits.Dim(1);
        var gradient = new Tensor(n, k);
        double total = 0;
        int correct = 0;
        var probabilities = new double[k];
        for (int row = 0; row < n; row++)
        {
            var z = logits.Data.AsSpan(row * k, k);
            int label = labels[row];
            if ((uint)label >= (uint)k) throw new DataFormatException($"label {label} is outside the model's {k} classes");
            int best = 0;
            for (int j = 1; j < k; j++) if (z[j] > z[best]) best = j;
            if (best == label) correct++;
            double max = z[best], sum = 0;
            for (int j = 0; j < k; j++) sum += probabilities[j] = Math.Exp(z[j] - max);
            total += Math.Log(sum) + max - z[label];
            for (int j = 0; j < k; j++)
                gradient.Data[row * k + j] = (float)((probabilities[j] / sum - (j == label ? 1 : 0)) / n);
        }
        return new BatchLoss(n == 0 ? 0 : total / n, correct, gradient);
    }
}
