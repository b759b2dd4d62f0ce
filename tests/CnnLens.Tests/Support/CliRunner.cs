using CnnLens.Cli;

namespace CnnLens.Tests.Support;

/// <summary>Runs a cnnlens command in-process and captures what it prints.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandRunner.Run(CliApp.CreateRootCommand(), args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}
