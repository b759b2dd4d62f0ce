namespace CnnLens.Attribution;

/// <summary>How far a long-running method has come: <see cref="Done"/> of <see cref="Total"/> units (model evaluations, masks, samples).</summary>
public readonly record struct AttributionProgress(string Method, long Done, long Total);
