namespace CnnLens.Training;

/// <summary>One epoch's numbers. Validation values are null without a validation set.</summary>
public sealed record EpochRecord(
    int Epoch, float LearningRate, double TrainLoss, double TrainAccuracy,
    double? ValidationLoss, double? ValidationAccuracy, double Seconds);

/// <summary>
/// Reported after every batch (running loss and accuracy of the epoch so far) and, with
/// <see cref="Completed"/> set, at the end of each epoch.
/// </summary>
public sealed record TrainingProgress(
    int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, EpochRecord? Completed = null);
