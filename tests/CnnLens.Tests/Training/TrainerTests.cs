using CnnLens.Graph;
using CnnLens.Tensors;
using CnnLens.Tests.Support;
using CnnLens.Training;

namespace CnnLens.Tests.Training;

/// <summary>End-to-end training on a toy set: accuracy, determinism, early stopping, cancellation, export.</summary>
public class TrainerTests
{
    private static readonly TrainingOptions Quick = new()
    {
        Architecture = Architecture.LeNet,
        Epochs = 3,
        BatchSize = 16,
        LearningRate = 0.003f,
        Seed = 11,
    };

    [Fact]
    public void Lenet_learns_stripes_to_high_accuracy_on_unseen_images()
    {
        var result = Trainer.Train(SyntheticImages.Stripes(200, 16, seed: 1), Quick);
        var test = result.Evaluate(SyntheticImages.Stripes(100, 16, seed: 2));
        Assert.True(test.Accuracy >= 0.95, $"test accuracy {test.Accuracy:P1}");
        Assert.Equal(3, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
    }

    [Fact]
    public void Same_seed_gives_identical_weights_at_any_thread_count_and_another_seed_does_not()
    {
        var data = SyntheticImages.Stripes(64, 16, seed: 3);
        var options = Quick with { Epochs = 1, Augmentation = Augmentation.Crop | Augmentation.Rotate | Augmentation.Jitter, ValidationFraction = 0.25 };
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = Trainer.Train(data, options);
            Parallelism.MaxThreads = 2;
            var two = Trainer.Train(data, options);
            var other = Trainer.Train(data, options with { Seed = 12 });
            foreach (var (name, tensor) in one.Network.Parameters)
                Assert.Equal(tensor.Data, two.Network.Parameters[name].Data);
            Assert.NotEqual(one.Network.Parameters["conv1.weight"].Data, other.Network.Parameters["conv1.weight"].Data);
            Assert.Equal(one.History[0].ValidationLoss, two.History[0].ValidationLoss);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void Progress_reports_every_batch_and_every_epoch_with_validation()
    {
        var reports = new List<TrainingProgress>();
        var result = Trainer.Train(SyntheticImages.Stripes(40, 16, seed: 4), Quick with { Epochs = 2, ValidationFraction = 0.2 },
            new SynchronousProgress<TrainingProgress>(reports.Add));
        Assert.Equal(32, result.TrainingCount);
        Assert.Equal(8, result.ValidationCount);
        // 32 training images in batches of 16: two batch reports and one epoch report per epoch.
        Assert.Equal(6, reports.Count);
        Assert.Equal([1, 2], reports.Where(r => r.Completed is not null).Select(r => r.Epoch));
        Assert.All(result.History, h => Assert.NotNull(h.ValidationAccuracy));
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_when_the_loss_stops_falling()
    {
        // A rate far too high makes the loss jump about; patience 1 stops at the first epoch without improvement.
        var result = Trainer.Train(SyntheticImages.Stripes(32, 16, seed: 5),
            Quick with { Epochs = 30, LearningRate = 0.5f, Optimizer = OptimizerKind.Sgd, Momentum = 0, Patience = 1 });
        Assert.True(result.StoppedEarly);
        Assert.True(result.History.Count < 30);
        double best = result.History.Min(h => h.TrainLoss);
        Assert.True(result.History[^1].TrainLoss >= best);
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Train(SyntheticImages.Stripes(16, 16, seed: 6), Quick, null, cancel.Token));
    }

    [Fact]
    public void Saved_model_reloads_with_identical_logits_class_names_and_preprocessing()
    {
        var data = SyntheticImages.Stripes(32, 16, seed: 7);
        var result = Trainer.Train(data, Quick with { Epochs = 1, Architecture = Architecture.ResNet, BaseChannels = 4 });
        using var folder = new TempDirectory();
        string path = folder.File("stripes.onnx");
        result.Save(path);
        var loaded = Model.Load(path);
        var input = data.Subset([0, 1, 2, 3]).Images;
        Assert.Equal(result.Model.Predict(input).Data, loaded.Predict(input).Data);
        Assert.Equal(["horizontal", "vertical"], loaded.ClassNames);
        var preprocessing = TrainedPreprocessing.FromMetadata(loaded.Onnx)!;
        Assert.Equal((16, 16, true), (preprocessing.Width, preprocessing.Height, preprocessing.Grayscale));
        Assert.Equal([0f], preprocessing.Mean);
        Assert.Equal([1f], preprocessing.Std);
        // The inference graph uses the running statistics, so it never contains training-mode nodes.
        Assert.All(loaded.Onnx.Graph.Nodes.Where(n => n.OpType == "BatchNormalization"),
            n => Assert.Equal(0, n.Attributes.GetInt("training_mode", 0)));
    }

    [Fact]
    public void The_network_standardises_its_input_with_the_training_images_statistics_unless_told_not_to()
    {
        // Half the images are 0.25, half 0.75: mean 0.5, (population) std 0.25.
        var images = new Tensor(4, 1, 12, 12);
        images.Data.AsSpan(0, 288).Fill(0.25f);
        images.Data.AsSpan(288).Fill(0.75f);
        var data = new TrainingData(images, [0, 0, 1, 1], ["low", "high"]);
        var normalized = Trainer.Train(data, Quick with { Epochs = 1, BatchSize = 4 });
        Assert.Equal([0.5f], normalized.Network.Parameters["normalize.mean"].Data);
        Assert.Equal([0.25f], normalized.Network.Parameters["normalize.std"].Data);
        Assert.Equal(["Sub", "Div", "Conv"], normalized.Onnx.Graph.Nodes.Take(3).Select(n => n.OpType));

        var plain = Trainer.Train(data, Quick with { Epochs = 1, BatchSize = 4, Normalize = false });
        Assert.Equal("Conv", plain.Onnx.Graph.Nodes[0].OpType);
        Assert.False(plain.Network.Parameters.ContainsKey("normalize.mean"));
    }

    [Theory]
    [InlineData(Architecture.LeNet, 1, 28, 61706)]
    [InlineData(Architecture.TinyVgg, 3, 64, 19920)]
    public void Architectures_have_the_parameter_counts_of_their_pytorch_definitions(Architecture architecture, int channels, int size, int expected)
    {
        // LeNet-5 on 1x28x28 with 10 classes: 156 + 2416 + 48120 + 10164 + 850 = 61706.
        // CNN Explainer's Tiny VGG on 3x64x64: 280 + 910 + 910 + 910 + (10·13·13·10 + 10) = 19920.
        var network = Network.Create(architecture, channels, size, size, 10, seed: 0);
        Assert.Equal(expected, network.ParameterCount);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
