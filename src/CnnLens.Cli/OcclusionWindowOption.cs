using System.CommandLine;

namespace CnnLens.Cli;

/// <summary><c>--window C,H,W</c>, <c>--stride C,H,W</c> and <c>--full-forward</c> of occlusion (and feature-ablation's <c>--full-forward</c>).</summary>
public static class OcclusionWindowOption
{
    public static Option<string?> Window() => new("--window") { Description = "occlusion: sliding window C,H,W (default all channels x 16 x 16)" };

    public static Option<string?> Stride() => new("--stride") { Description = "occlusion: step C,H,W (default all channels x 8 x 8)" };

    public static Option<bool> FullForward() => new("--full-forward")
    {
        Description = "occlusion, feature-ablation: run every perturbed image through the whole model instead of recomputing only the region a perturbation reaches",
    };

    /// <summary>Three comma-separated integers (range checks against the image come when the method runs, before any forward pass).</summary>
    public static int[]? Parse(string? text, string option)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out values[i]))
                throw new InvalidOptionException($"{option} '{text}': write C,H,W as three integers");
        if (values.Length != 3) throw new InvalidOptionException($"{option} '{text}' has {values.Length} values; write C,H,W (channels, height, width)");
        return values;
    }
}
