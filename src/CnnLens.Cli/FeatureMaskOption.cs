using System.CommandLine;
using CnnLens.Attribution.Perturbation;
using CnnLens.Reports;

namespace CnnLens.Cli;

/// <summary><c>--features grid:N | grid:HxW | FILE.npy</c>: the features of feature-ablation, lime and the SHAP methods.</summary>
public static class FeatureMaskOption
{
    public static Option<string?> Create() => new("--features")
    {
        Description = "features switched on/off by feature-ablation, lime, kernel-shap, shapley-sampling: grid:N or grid:HxW (cells in pixels), or a label mask FILE.npy [H,W]",
    };

    public static FeatureMaskSource? Parse(string? text)
    {
        if (text is null) return null;
        if (text.StartsWith("grid:", StringComparison.Ordinal))
        {
            var parts = text[5..].Split('x');
            if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, out int v) && v > 0))
                return FeatureMaskSource.Grid(int.Parse(parts[0]), int.Parse(parts[^1]));
            throw new InvalidOptionException($"--features '{text}': write grid:N or grid:HxW with positive cell sizes in pixels");
        }
        if (text.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            return FeatureMaskSource.Fixed(FeatureMask.FromTensor(NpyFile.Read(text)), text);
        throw new InvalidOptionException($"--features '{text}' is not grid:N, grid:HxW or a label mask FILE.npy");
    }
}
