using System.CommandLine;

namespace CnnLens.Cli;

/// <summary>
/// Parses and runs a command with the CLI's error contract: a parse error or a
/// <see cref="CnnLensException"/> prints "cnnlens: error: ..." on one line and exits with 2;
/// Ctrl-C exits with 130; anything else is a bug and exits with 1.
/// </summary>
public static class CommandRunner
{
    public const int UserError = 2;

    private static readonly AsyncLocal<CancellationToken> CurrentCancellation = new();

    /// <summary>Signalled by Ctrl-C while a command runs: long runs stop between batches and write nothing.</summary>
    public static CancellationToken Cancellation => CurrentCancellation.Value;

    public static int Run(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"cnnlens: error: {parse.Errors[0].Message} (see 'cnnlens {CommandPath(parse)} --help')");
            return UserError;
        }
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true; // let the command unwind and delete nothing half-written, instead of dying mid-write
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        CurrentCancellation.Value = interrupt.Token;
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CnnLensException e)
        {
            error.WriteLine($"cnnlens: error: {e.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cnnlens: cancelled; no output was written");
            return 130;
        }
        catch (Exception e)
        {
            error.WriteLine($"cnnlens: internal error: {e.GetType().Name}: {e.Message} (please report this with the command line)");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            if (r.Command is not RootCommand) names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }
}
