namespace CnnLens.Training;

/// <summary>How the learning rate changes from epoch to epoch.</summary>
public enum LearningRateSchedule
{
    /// <summary>The base rate throughout.</summary>
    Constant,

    /// <summary>torch StepLR: times <see cref="LearningRates.StepGamma"/> every step-size epochs.</summary>
    Step,

    /// <summary>torch CosineAnnealingLR(T_max = epochs, eta_min = 0) stepped once per epoch.</summary>
    Cosine,
}

public static class LearningRates
{
    public const float StepGamma = 0.1f;

    /// <summary>Default step size of the step schedule: a third of the epochs (at least 1).</summary>
    public static int DefaultStepSize(int epochs) => Math.Max(1, epochs / 3);

    /// <summary>The rate for zero-based <paramref name="epoch"/> of <paramref name="epochs"/>.</summary>
    public static float At(LearningRateSchedule schedule, float baseRate, int epoch, int epochs, int? stepSize = null) => schedule switch
    {
        LearningRateSchedule.Constant => baseRate,
        LearningRateSchedule.Step => (float)(baseRate * Math.Pow(StepGamma, epoch / (stepSize ?? DefaultStepSize(epochs)))),
        _ => (float)(baseRate * (1 + Math.Cos(Math.PI * epoch / epochs)) / 2),
    };

    public static LearningRateSchedule Parse(string name) => name.ToLowerInvariant() switch
    {
        "constant" => LearningRateSchedule.Constant,
        "step" => LearningRateSchedule.Step,
        "cosine" => LearningRateSchedule.Cosine,
        _ => throw new InvalidOptionException($"unknown learning-rate schedule '{name}'; use constant, step or cosine"),
    };
}
