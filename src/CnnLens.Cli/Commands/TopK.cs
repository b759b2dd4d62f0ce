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
}
