using System.CommandLine;

namespace CnnLens.Cli.Commands.Visualize;

/// <summary><c>cnnlens visualize</c>: what the network learned — filters, feature maps, top dataset patches, activation maximisation, DeepDream.</summary>
public static class VisualizeCommand
{
    public static Command Create() => new("visualize", "Draw what the network learned: filters, feature maps, top dataset patches, images that maximise a channel or class, DeepDream")
    {
        VisualizeFiltersCommand.Create(),
        VisualizeActivationsCommand.Create(),
        VisualizeTopPatchesCommand.Create(),
        MaximizeCommand.Create(),
        DeepDreamCommand.Create(),
    };
}
