using System.CommandLine;
using CnnLens.Attribution.Perturbation;
using CnnLens.Reports;

namespace CnnLens.Cli;

/// <summary><c>--features grid:N | grid:HxW | slic:N[,COMPACTNESS] | FILE.npy</c>: the features of feature-ablation, lime and the SHAP methods.</summary>
public static class FeatureMaskOption
{
    public static Option<string?> Create() => new("--features")
    {
        Description = "features switched on/off by feature-ablation, lime, kernel-shap, shapley-sampling: grid:N or grid:HxW (cells in pixels), slic:N[,COMPACTNESS] (about N SLIC superpixels, compactness default 10; the default of lime and the SHAP methods is slic:50), or a label mask FILE.npy [H,W]",
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
        if (text.StartsWith("slic:", StringComparison.Ordinal))
        {
            var parts = text[5..].Split(',');
            if (parts.Length is 1 or 2 && int.TryParse(parts[0], out int segments) && segments > 0)
            {
                if (parts.Length == 1) return FeatureMaskSource.Superpixels(segments);
                if (double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double compactness)
                    && compactness > 0 && double.IsFinite(compactness))
                    return FeatureMaskSource.Superpixels(segments, compactness);
            }
            throw new InvalidOptionException($"--features '{text}': write slic:N or slic:N,COMPACTNESS with N superpixels (a positive integer) and a positive compactness (default 10)");
        }
        if (text.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            return FeatureMaskSource.Fixed(FeatureMask.FromTensor(NpyFile.Read(text)), text);
        throw new InvalidOptionException($"--features '{text}' is not grid:N, grid:HxW, slic:N[,COMPACTNESS] or a label mask FILE.npy");
    }
}
