namespace CnnLens.Training;

/// <summary>Everything <see cref="Trainer.Train"/> needs besides the data. Defaults suit MNIST-sized data.</summary>
public sealed record TrainingOptions
{
    public Architecture Architecture { get; init; } = Architecture.LeNet;

    /// <summary>Channels of the first layer (tiny-vgg: 10, resnet: 16 when null).</summary>
    public int? BaseChannels { get; init; }

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 32;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Base learning rate; null: 0.001 for Adam, 0.01 for SGD.</summary>
    public float? LearningRate { get; init; }

    /// <summary>SGD momentum (ignored by Adam).</summary>
    public float Momentum { get; init; } = 0.9f;

    public float WeightDecay { get; init; }

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Epochs between decays of the step schedule (null: a third of the epochs).</summary>
    public int? StepSize { get; init; }

    public Augmentation Augmentation { get; init; }

    /// <summary>Fraction of the data held out (seeded draw) to report validation loss and accuracy each epoch.</summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// Stop after this many epochs without a lower monitored loss (validation loss when there is a
    /// validation set, else training loss) and keep the best epoch's weights. Null: run every epoch.
    /// </summary>
    public int? Patience { get; init; }

    public long Seed { get; init; }

    /// <summary>
    /// Standardise inputs with the training images' per-channel mean and std. The network does it
    /// itself (its first Sub and Div nodes), so the saved model still takes 0..1 images.
    /// </summary>
    public bool Normalize { get; init; } = true;

    public float EffectiveLearningRate => LearningRate ?? (Optimizer == OptimizerKind.Adam ? 0.001f : 0.01f);

    public void Validate()
    {
        if (Epochs < 1) throw new InvalidOptionException($"epochs must be at least 1, got {Epochs}");
        if (BatchSize < 1) throw new InvalidOptionException($"batch size must be at least 1, got {BatchSize}");
        if (LearningRate is { } lr && !(lr > 0 && float.IsFinite(lr))) throw new InvalidOptionException($"learning rate must be positive, got {lr}");
        if (!(Momentum >= 0 && Momentum < 1)) throw new InvalidOptionException($"momentum must be in [0, 1), got {Momentum}");
        if (!(WeightDecay >= 0 && float.IsFinite(WeightDecay))) throw new InvalidOptionException($"weight decay must be non-negative, got {WeightDecay}");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new InvalidOptionException($"validation fraction must be in [0, 1), got {ValidationFraction}");
        if (Patience is < 1) throw new InvalidOptionException($"patience must be at least 1 epoch, got {Patience}");
        if (StepSize is < 1) throw new InvalidOptionException($"step size must be at least 1 epoch, got {StepSize}");
        if (BaseChannels is < 1) throw new InvalidOptionException($"base channel count must be positive, got {BaseChannels}");
    }
}
