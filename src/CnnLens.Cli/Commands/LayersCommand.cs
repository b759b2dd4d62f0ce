using System.CommandLine;
using CnnLens.Graph;

namespace CnnLens.Cli.Commands;

/// <summary><c>cnnlens layers</c>: every tensor with its op type and shape, and the suggested CAM layer.</summary>
public static class LayersCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = CommonOptions.Input();
        var command = new Command("layers", "List the model's tensors (names to pass as --layer) with op types and shapes") { model, input };
        command.SetAction(parse =>
        {
            var m = CommonOptions.LoadModel(parse.GetRequiredValue(model));
            var x = parse.GetValue(input) is { } path ? CommonOptions.ReadInput(path, m) : null;
            var tensors = m.DescribeTensors(x);
            var output = parse.InvocationConfiguration.Output;
            int nameWidth = Math.Min(60, tensors.Max(t => t.Name.Length));
            int opWidth = tensors.Max(t => t.OpType.Length);
            output.WriteLine($"{"tensor".PadRight(nameWidth)}  {"op".PadRight(opWidth)}  shape");
            foreach (var t in tensors)
                output.WriteLine($"{t.Name.PadRight(nameWidth)}  {t.OpType.PadRight(opWidth)}  [{string.Join(",", t.Shape)}]");
            output.WriteLine();
            output.WriteLine($"input: {m.InputName}   logits: {m.LogitsName}");
            output.WriteLine(Model.SuggestedCamLayer(tensors) is { } cam
                ? $"suggested CAM layer: {cam}"
                : "suggested CAM layer: none (no feature map with spatial size above 1)");
        });
        return command;
    }
}
