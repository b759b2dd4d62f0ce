using CnnLens.Graph;

namespace CnnLens.Attribution;

/// <summary>Helps a user who named a layer that does not exist: lists the nearest names.</summary>
public static class LayerNames
{
    /// <summary>
    /// The error for a missing layer, with the five nearest tensor names: first by how well the name
    /// matches somewhere inside a tensor name ('layer4.1.relu', a PyTorch module path, finds
    /// '/layer4/layer4.1/relu/Relu_output_0' of its ONNX export), then by whole-name edit distance.
    /// </summary>
    public static CnnLensException NotFound(Model model, string layer)
    {
        var nearest = model.Graph.ComputedTensorNames
            .OrderBy(n => InnerDistance(layer, n))
            .ThenBy(n => Distance(n, layer))
            .ThenBy(n => n, StringComparer.Ordinal)
            .Take(5);
        return new InvalidOptionException(
            $"layer '{layer}' is not a tensor of the model; nearest names: {string.Join(", ", nearest)} (list all with 'cnnlens layers')");
    }

    /// <summary>Levenshtein distance, case-insensitive.</summary>
    internal static int Distance(string a, string b) => EditDistance(a, b, anywhereInB: false);

    /// <summary>
    /// The fewest edits that turn <paramref name="query"/> into some part of <paramref name="name"/>,
    /// case-insensitive and with '.' and '/' alike (module paths against ONNX tensor names).
    /// </summary>
    internal static int InnerDistance(string query, string name) => EditDistance(query, name, anywhereInB: true);

    private static int EditDistance(string a, string b, bool anywhereInB)
    {
        a = Normalize(a, anywhereInB);
        b = Normalize(b, anywhereInB);
        // Rows follow a, columns b. Matching anywhere in b: starting at any column is free (row 0 is
        // zeros) and so is stopping at any column (the minimum of the last row).
        var previous = Enumerable.Range(0, b.Length + 1).Select(j => anywhereInB ? 0 : j).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return anywhereInB ? previous.Min() : previous[b.Length];
    }

    private static string Normalize(string name, bool pathsAlike)
    {
        name = name.ToLowerInvariant();
        return pathsAlike ? name.Replace('.', '/') : name;
    }
}
