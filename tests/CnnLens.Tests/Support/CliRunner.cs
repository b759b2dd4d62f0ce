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

    /// <summary>The CLI's error contract: exit code 2 and one "cnnlens: error: ..." line (no stack trace) naming each of <paramref name="mentions"/>.</summary>
    public static void AssertUserError(Result result, params string[] mentions)
    {
        Assert.Equal(2, result.ExitCode);
        string line = result.Error.TrimEnd();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("cnnlens: error: ", line);
        Assert.DoesNotContain("   at ", line);
        foreach (var m in mentions) Assert.Contains(m, line);
    }
}
