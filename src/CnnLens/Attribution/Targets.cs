using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>Resolves and checks the class each image of a batch is explained for.</summary>
public static class Targets
{
    /// <summary>Checks the targets against the batch size before any work starts.</summary>
    public static void CheckCount(Tensor input, int[]? targets)
    {
        if (input.Rank < 1 || input.Dim(0) < 1) throw new ShapeMismatchException($"input {input} has no batch dimension");
        if (targets is not null && targets.Length != input.Dim(0))
            throw new InvalidOptionException($"{targets.Length} targets given for a batch of {input.Dim(0)} images; give one per image or one for all");
    }

    /// <summary>Given the logits of the batch: the requested targets checked against the class count, or each image's top-1.</summary>
    public static int[] Resolve(Tensor logits, int[]? targets)
    {
        if (logits.Rank != 2) throw new ShapeMismatchException($"the model's scores are {logits}, not [N, classes]; attribution needs class scores");
        int classes = logits.Dim(1);
        if (targets is null) return TopOne(logits);
        foreach (int t in targets)
            if (t < 0 || t >= classes)
                throw new InvalidOptionException($"target class {t} is outside the model's {classes} classes (0..{classes - 1})");
        return targets;
    }

    public static int[] TopOne(Tensor logits)
    {
        int batch = logits.Dim(0), classes = logits.Dim(1);
        var result = new int[batch];
        for (int n = 0; n < batch; n++)
        {
            var row = logits.Data.AsSpan(n * classes, classes);
            int best = 0;
            for (int k = 1; k < classes; k++)
                if (row[k] > row[best]) best = k;
            result[n] = best;
        }
        return result;
    }

    /// <summary>The seed gradient that picks logits[n, targets[n]] for every image at once.</summary>
    public static Tensor OneHotSeed(Tensor logits, int[] targets)
    {
        var seed = new Tensor(logits.ShapeArray);
        int classes = logits.Dim(1);
        for (int n = 0; n < targets.Length; n++) seed.Data[n * classes + targets[n]] = 1;
        return seed;
    }

    /// <summary>logits[n, targets[n]] per image.</summary>
    public static double[] Scores(Tensor logits, int[] targets)
    {
        int classes = logits.Dim(1);
        return targets.Select((t, n) => (double)logits.Data[n * classes + t]).ToArray();
    }
}
