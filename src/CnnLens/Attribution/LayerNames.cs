using CnnLens.Graph;

namespace CnnLens.Attribution;

/// <summary>Helps a user who named a layer that does not exist: lists the nearest names.</summary>
public static class LayerNames
{
    public static CnnLensException NotFound(Model model, string layer)
    {
        var nearest = model.Graph.ComputedTensorNames
            .OrderBy(n => Distance(n, layer))
            .Take(5);
        return new InvalidOptionException(
            $"layer '{layer}' is not a tensor of the model; nearest names: {string.Join(", ", nearest)} (list all with 'cnnlens layers')");
    }

    /// <summary>Levenshtein distance, case-insensitive.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
