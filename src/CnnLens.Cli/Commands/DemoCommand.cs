using System.CommandLine;
using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Cli.Commands;

/// <summary>
/// <c>cnnlens demo</c>: runs offline on a fresh clone. Until the trained demo models land, it
/// builds a tiny hand-set stripe classifier, predicts on generated stripe images and writes the
/// logits, so the whole load → run → report path is exercised without any download.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "folder for the demo's outputs", DefaultValueFactory = _ => "cnnlens-demo" };
        var command = new Command("demo", "Run the built-in offline demo") { outDir };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string dir = parse.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            var model = Model.FromOnnx(StripeModel.Build(), "stripe-classifier");
            var names = model.ClassNames!;
            output.WriteLine("CnnLens demo: a hand-set 2-class CNN (vertical vs horizontal stripes) on generated images");
            foreach (var (label, image) in new[] { ("vertical", StripeModel.Stripes(vertical: true)), ("horizontal", StripeModel.Stripes(vertical: false)) })
            {
                var logits = model.Predict(image);
                var top = TopK.Of(logits.Data, names.Count);
                output.WriteLine($"  {label} stripes -> {names[top[0].Index]} ({top[0].Probability:P1})");
                NpyFile.Write(Path.Combine(dir, $"{label}_logits.npy"), logits.Reshape(names.Count));
            }
            output.WriteLine($"logits written to {Path.GetFullPath(dir)}");
        });
        return command;
    }
}
