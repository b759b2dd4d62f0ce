using System.CommandLine;
using CnnLens.Cli.Commands;
using CnnLens.Cli.Commands.Visualize;

namespace CnnLens.Cli;

/// <summary>The <c>cnnlens</c> command tree (also built by the tests, which run commands in-process).</summary>
public static class CliApp
{
    public static RootCommand CreateRootCommand() => new("CnnLens: explain convolutional image classifiers (ONNX) offline, in pure .NET.")
    {
        PredictCommand.Create(),
        ExplainCommand.Create(),
        LayersCommand.Create(),
        VisualizeCommand.Create(),
        TrainCommand.Create(),
        BenchCommand.Create(),
        DemoCommand.Create(),
    };
}
