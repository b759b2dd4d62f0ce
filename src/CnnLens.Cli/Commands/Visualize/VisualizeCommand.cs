using System.CommandLine;

namespace CnnLens.Cli.Commands.Visualize;

/// <summary><c>cnnlens visualize</c>: what the network learned — filters, feature maps, top dataset patches.</summary>
public static class VisualizeCommand
{
    public static Command Create() => new("visualize", "Draw what the network learned: filters, feature maps, top dataset patches")
    {
        VisualizeFiltersCommand.Create(),
        VisualizeActivationsCommand.Create(),
        VisualizeTopPatchesCommand.Create(),
        // MaximizeCommand.Create() and DeepDreamCommand.Create() (activation maximisation, separate branch) are added here.
    };
}
