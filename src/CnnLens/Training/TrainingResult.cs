using System.Text.Json;
using CnnLens.Graph;
using CnnLens.Onnx;

namespace CnnLens.Training;

/// <summary>
/// A trained network: its <see cref="Model"/> (inference mode, ready for predict and explain), the
/// per-epoch history, <see cref="Evaluate"/> on other data, and <see cref="Save"/> as ONNX with the
/// class names (<see cref="ClassLabels.MetadataKey"/>) and preprocessing
/// (<see cref="TrainedPreprocessing.MetadataKey"/>) in its metadata.
/// </summary>
public sealed class TrainingResult
{
    internal TrainingResult(Network network, IReadOnlyList<string> classNames, IReadOnlyList<EpochRecord> history, bool stoppedEarly, int trainingCount, int validationCount)
    {
        Network = network;
        ClassNames = classNames;
        History = history;
        StoppedEarly = stoppedEarly;
        TrainingCount = trainingCount;
        ValidationCount = validationCount;
        Preprocessing = new TrainedPreprocessing { Width = network.Width, Height = network.Height, Grayscale = network.Channels == 1 };
        Onnx = network.ToOnnx(Metadata());
        Model = Model.FromOnnx(Onnx, ArchitectureNames.Name(network.Architecture));
    }

    public Network Network { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>True when early stopping ended training before the last epoch (the best epoch's weights are kept).</summary>
    public bool StoppedEarly { get; }

    public int TrainingCount { get; }

    public int ValidationCount { get; }

    public TrainedPreprocessing Preprocessing { get; }

    public OnnxModel Onnx { get; }

    public Model Model { get; }

    public Evaluation Evaluate(TrainingData data, CancellationToken cancellation = default)
    {
        if (data.Channels != Network.Channels || data.Height != Network.Height || data.Width != Network.Width)
            throw new ShapeMismatchException(
                $"data images are {data.Channels}x{data.Height}x{data.Width} but the model was trained on {Network.Channels}x{Network.Height}x{Network.Width}");
        if (data.ClassNames.Count != ClassNames.Count)
            throw new DataFormatException($"data has {data.ClassNames.Count} classes but the model {ClassNames.Count}");
        return Trainer.Evaluate(Model, data, cancellation);
    }

    /// <summary>Writes the model atomically (a failure leaves no partial file).</summary>
    public void Save(string path) => OnnxModelWriter.Save(Onnx, path);

    private Dictionary<string, string> Metadata() => new()
    {
        [ClassLabels.MetadataKey] = JsonSerializer.Serialize(ClassNames),
        [TrainedPreprocessing.MetadataKey] = Preprocessing.ToJson(),
        ["cnnlens.architecture"] = ArchitectureNames.Name(Network.Architecture),
    };
}
