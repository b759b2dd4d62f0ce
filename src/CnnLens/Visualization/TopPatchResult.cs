namespace CnnLens.Visualization;

/// <summary>The images and patches that excite each requested channel of a layer most.</summary>
public sealed class TopPatchResult
{
    public required string Layer { get; init; }

    /// <summary>The requested channels, in the order given.</summary>
    public required int[] Channels { get; init; }

    /// <summary>Per requested channel, the top images by decreasing activation (ties: lower image index first).</summary>
    public required IReadOnlyList<IReadOnlyList<TopPatch>> Patches { get; init; }

    /// <summary>Every scanned image, by index.</summary>
    public required IReadOnlyList<string> Sources { get; init; }
}
