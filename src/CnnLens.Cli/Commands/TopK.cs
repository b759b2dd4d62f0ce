using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Cli.Commands;

/// <summary>The k highest logits of one row with their softmax probabilities (computed in double for stability).</summary>
public static class TopK
{
    public readonly record struct Prediction(int Index, float Logit, double Probability);

    public static Prediction[] Of(ReadOnlySpan<float> logits, int k)
    {
        double max = double.NegativeInfinity;
        foreach (float v in logits)
        {
            if (float.IsNaN(v)) throw new CnnLensException("the model produced NaN scores; check the input tensor and the model weights");
            max = Math.Max(max, v);
        }
        double sum = 0;
        foreach (float v in logits) sum += Math.Exp(v - max);
        var values = logits.ToArray();
        // Stable: equal logits keep index order, so the listing is deterministic.
        return Enumerable.Range(0, values.Length)
            .OrderByDescending(i => values[i])
            .Take(k)
            .Select(i => new Prediction(i, values[i], Math.Exp(values[i] - max) / sum))
            .ToArray();
    }

    /// <summary>The top <paramref name="k"/> classes of every row of logits [N, classes], named when names are known.</summary>
    public static IReadOnlyList<ClassPrediction>[] Predictions(Tensor logits, IReadOnlyList<string>? names, int k = 5)
    {
        if (logits.Rank != 2)
            throw new ShapeMismatchException($"the model's scores are {logits}; reports expect [N, classes]");
        int classes = logits.Dim(1);
        return Enumerable.Range(0, logits.Dim(0))
            .Select(n => (IReadOnlyList<ClassPrediction>)Of(logits.Data.AsSpan(n * classes, classes), Math.Min(k, classes))
                .Select(p => new ClassPrediction(p.Index, names?[p.Index], p.Probability, p.Logit)).ToArray())
            .ToArray();
    }
}
