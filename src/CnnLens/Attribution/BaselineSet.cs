using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// The reference distribution of the SHAP-style methods: several baselines, each turned into a
/// tensor for the input batch. Default: zero, the per-channel mean and the blurred image.
/// A file of K images [K,C,H,W] gives K fixed references.
/// </summary>
public sealed class BaselineSet(IReadOnlyList<Baseline> members)
{
    public static BaselineSet Default { get; } = new([Baseline.Zero, Baseline.Mean, Baseline.Blur]);

    public IReadOnlyList<Baseline> Members { get; } = members.Count > 0 ? members : throw new InvalidOptionException("a baseline set needs at least one baseline");

    /// <summary>Each image of <paramref name="references"/> ([K,C,H,W]) is one baseline for every input image.</summary>
    public static BaselineSet FromImages(Tensor references, string name = "file")
    {
        if (references.Rank < 2) throw new ShapeMismatchException($"baseline images {references} need a leading count dimension");
        return new(Enumerable.Range(0, references.Dim(0))
            .Select(k => Baseline.FromTensor(Batch.Slice(references, k, 1), $"{name}[{k}]"))
            .ToList());
    }

    public string Name => string.Join("+", Members.Select(m => m.Name));
}
