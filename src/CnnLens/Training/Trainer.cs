using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Training;

/// <summary>
/// Trains a <see cref="Network"/> on the engine's own graph: a forward pass in training mode, softmax
/// cross-entropy, a reverse pass to every weight, one optimiser step per batch. Shuffling, the
/// validation split, initial weights and augmentation all come from the seed, and every reduction
/// runs in a fixed order, so the same seed gives the same weights at any thread count.
/// </summary>
public static class Trainer
{
    public static TrainingResult Train(
        TrainingData data, TrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        var (train, validation) = Split(data, options.ValidationFraction, options.Seed);
        var (mean, std) = options.Normalize ? ChannelStatistics(train) : (null, null);
        var network = Network.Create(options.Architecture, data.Channels, data.Height, data.Width, data.ClassNames.Count, options.Seed, options.BaseChannels, mean, std);

        var step = new TrainingStep(network, Optimizer.Create(options.Optimizer, options.Momentum, options.WeightDecay));

        var history = new List<EpochRecord>();
        double bestMonitored = double.PositiveInfinity;
        Dictionary<string, float[]>? best = null;
        int epochsWithoutImprovement = 0;
        bool stoppedEarly = false;
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var batchLabels = new int[options.BatchSize];

        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            float rate = LearningRates.At(options.Schedule, options.EffectiveLearningRate, epoch, options.Epochs, options.StepSize);
            var order = Permutation(train.Count, new SeededRandom(options.Seed, 0x5EED, epoch));
            double lossSum = 0;
            int correct = 0, seen = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellation.ThrowIfCancellationRequested();
                int start = b * options.BatchSize, count = Math.Min(options.BatchSize, train.Count - start);
                var input = Batch(train, order, start, count, options, epoch, batchLabels);
                var loss = step.Run(input, batchLabels.AsSpan(0, count), rate);
                lossSum += loss.Loss * count;
                correct += loss.Correct;
                seen += count;
                progress?.Report(new TrainingProgress(epoch + 1, options.Epochs, b + 1, batches, lossSum / seen, correct / (double)seen));
            }

            Evaluation? check = validation is null ? null : Evaluate(network, validation);
            var record = new EpochRecord(epoch + 1, rate, lossSum / seen, correct / (double)seen, check?.Loss, check?.Accuracy, clock.Elapsed.TotalSeconds);
            history.Add(record);
            progress?.Report(new TrainingProgress(epoch + 1, options.Epochs, batches, batches, record.TrainLoss, record.TrainAccuracy, record));

            if (options.Patience is not { } patience) continue;
            double monitored = check?.Loss ?? record.TrainLoss;
            if (monitored < bestMonitored)
            {
                bestMonitored = monitored;
                best = network.Parameters.ToDictionary(p => p.Key, p => (float[])p.Value.Data.Clone());
                epochsWithoutImprovement = 0;
            }
            else if (++epochsWithoutImprovement >= patience)
            {
                stoppedEarly = epoch + 1 < options.Epochs;
                break;
            }
        }
        if (best is not null)
            foreach (var (name, values) in best) values.CopyTo(network.Parameters[name].Data, 0);
        return new TrainingResult(network, data.ClassNames, history, stoppedEarly, train.Count, validation?.Count ?? 0);
    }

    /// <summary>Loss and accuracy of <paramref name="network"/> (inference mode) on <paramref name="data"/>.</summary>
    public static Evaluation Evaluate(Network network, TrainingData data) => Evaluate(Model.FromOnnx(network.ToOnnx()), data);

    public static Evaluation Evaluate(Model model, TrainingData data, CancellationToken cancellation = default)
    {
        const int chunk = 256;
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += chunk)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(chunk, data.Count - start);
            var input = new Tensor([count, data.Channels, data.Height, data.Width], data.Images.Data.AsSpan(start * data.ImageSize, count * data.ImageSize).ToArray());
            var loss = SoftmaxCrossEntropy.Compute(model.Predict(input), data.Labels.AsSpan(start, count));
            lossSum += loss.Loss * count;
            correct += loss.Correct;
        }
        return new Evaluation(data.Count == 0 ? 0 : lossSum / data.Count, data.Count == 0 ? 0 : correct / (double)data.Count, data.Count);
    }

    private static Tensor Batch(TrainingData data, int[] order, int start, int count, TrainingOptions options, int epoch, int[] labels)
    {
        int size = data.ImageSize;
        var input = new Tensor(count, data.Channels, data.Height, data.Width);
        for (int i = 0; i < count; i++)
        {
            int index = order[start + i];
            labels[i] = data.Labels[index];
            Augmenter.Apply(options.Augmentation, data.Images.Data.AsSpan(index * size, size), input.Data.AsSpan(i * size, size),
                data.Channels, data.Height, data.Width, options.Seed, epoch, index);
        }
        return input;
    }

    private static (TrainingData Train, TrainingData? Validation) Split(TrainingData data, double fraction, long seed)
    {
        if (fraction <= 0) return (data, null);
        int held = (int)Math.Round(data.Count * fraction);
        if (held < 1 || held >= data.Count)
            throw new InvalidOptionException($"a validation fraction of {fraction} leaves {held} of {data.Count} images for validation; give more data or another fraction");
        var order = Permutation(data.Count, new SeededRandom(seed, 0x5A11D));
        return (data.Subset(order[held..]), data.Subset(order[..held]));
    }

    /// <summary>Per-channel mean and standard deviation over all images and pixels (std 1 for a constant channel).</summary>
    private static (float[] Mean, float[] Std) ChannelStatistics(TrainingData data)
    {
        int channels = data.Channels, plane = data.Height * data.Width;
        float[] mean = new float[channels], std = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, sumSquares = 0;
            for (int n = 0; n < data.Count; n++)
                foreach (float v in data.Images.Data.AsSpan((n * channels + c) * plane, plane))
                {
                    sum += v;
                    sumSquares += (double)v * v;
                }
            double count = (double)data.Count * plane, m = sum / count, variance = Math.Max(0, sumSquares / count - m * m);
            mean[c] = (float)m;
            std[c] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (mean, std);
    }

    /// <summary>Fisher–Yates shuffle of 0..count-1.</summary>
    private static int[] Permutation(int count, SeededRandom random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}

/// <summary>Mean cross-entropy and accuracy over <see cref="Count"/> images.</summary>
public sealed record Evaluation(double Loss, double Accuracy, int Count);
