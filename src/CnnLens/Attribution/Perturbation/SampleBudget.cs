namespace CnnLens.Attribution.Perturbation;

/// <summary>
/// Checks a sampling method's own bookkeeping (masks, coalitions, regression rows) against memory
/// before any work starts, so a huge --samples is a clear error instead of an out-of-memory crash.
/// </summary>
public static class SampleBudget
{
    /// <summary>Upper bound of the per-sample state a method keeps for the whole run.</summary>
    public const long MaxBytes = 1L << 30;

    public static void Check(string method, long samples, long bytesPerSample, string unit = "samples")
    {
        if (samples < 1) throw new InvalidOptionException($"{method}: --samples must be at least 1, not {samples}");
        long bytes = samples * Math.Max(1, bytesPerSample);
        if (bytes > MaxBytes || samples > int.MaxValue)
            throw new InvalidOptionException(
                $"{method}: {samples} {unit} need {bytes >> 20} MB of bookkeeping; use at most {MaxBytes / Math.Max(1, bytesPerSample)} {unit} (or fewer features)");
    }
}
