using System.CommandLine;
using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Cli.Commands;

/// <summary><c>cnnlens predict</c>: top-k classes with names and probabilities; optionally the logits as .npy.</summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = new ImageInputOptions();
        var labels = new Option<string?>("--labels") { Description = "class names, one per line (default: the model's own, or ImageNet for 1000 classes)" };
        var top = new Option<int>("--top") { Description = "how many classes to list", DefaultValueFactory = _ => 5 };
        var npy = CommonOptions.Npy();
        var threads = CommonOptions.Threads();
        var lowMemory = CommonOptions.LowMemory();
        var command = new Command("predict", "Run the model and list the top classes") { model, labels, top, npy, threads, lowMemory };
        input.AddTo(command);
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            CommonOptions.ApplyLowMemory(parse.GetValue(lowMemory));
            int k = parse.GetValue(top);
            if (k < 1) throw new InvalidOptionException($"--top must be at least 1, got {k}");
            var m = CommonOptions.LoadModel(parse.GetRequiredValue(model));
            var (x, _, sources, _) = input.Read(parse, m);
            var logits = m.Predict(x);
            if (logits.Rank != 2) throw new ShapeMismatchException($"model output '{m.LogitsName}' has shape {logits} ; predict expects [N, classes]");
            int classes = logits.Dim(1);
            var names = parse.GetValue(labels) is { } labelPath ? ClassLabels.ReadLabelFile(labelPath) : m.ClassNamesFor(classes);
            if (names is not null && names.Count != classes)
                throw new InvalidOptionException($"the label file has {names.Count} names but the model has {classes} classes");

            var output = parse.InvocationConfiguration.Output;
            for (int n = 0; n < logits.Dim(0); n++)
            {
                if (logits.Dim(0) > 1) output.WriteLine($"{sources[Math.Min(n, sources.Length - 1)]} (image {n}):");
                var row = logits.Data.AsSpan(n * classes, classes);
                foreach (var p in TopK.Of(row, Math.Min(k, classes)))
                    output.WriteLine($"{p.Index,5}  {p.Probability,8:P2}  logit {p.Logit,10:F4}  {(names is null ? "" : names[p.Index])}");
            }
            if (parse.GetValue(npy) is { } npyPath)
                NpyFile.Write(npyPath, logits.Dim(0) == 1 ? logits.Reshape(classes) : logits);
        });
        return command;
    }
}
