using System.Diagnostics;
using CnnLens.Attribution;

namespace CnnLens.Cli;

/// <summary>
/// A one-line progress bar with an ETA on the error stream, redrawn in place at most ten times a
/// second, for long runs (perturbation methods, top-patches, training). Draws nothing when the
/// stream is not a terminal or the user asked for --quiet, so scripts see only results and errors.
/// </summary>
public sealed class ProgressBar : IProgress<AttributionProgress>, IDisposable
{
    private const int BarWidth = 28;
    private static readonly long RedrawTicks = Stopwatch.Frequency / 10;
    private readonly TextWriter _writer;
    private readonly Func<long> _clock;
    private readonly long _start;
    private long? _lastDraw;
    private int _lastLength;

    public ProgressBar(TextWriter writer, Func<long>? clock = null)
    {
        _writer = writer;
        _clock = clock ?? Stopwatch.GetTimestamp;
        _start = _clock();
    }

    /// <summary>A bar on stderr when it is a terminal and not --quiet, else null (no progress shown).</summary>
    public static ProgressBar? ForConsole(bool quiet) =>
        quiet || Console.IsErrorRedirected ? null : new ProgressBar(Console.Error);

    public void Report(AttributionProgress value) => Report(value.Method, value.Done, value.Total);

    public void Report(string label, long done, long total)
    {
        long now = _clock();
        if (done < total && _lastDraw is { } last && now - last < RedrawTicks) return;
        _lastDraw = now;
        string line = Render(label, done, total, (now - _start) / (double)Stopwatch.Frequency);
        _writer.Write("\r" + line.PadRight(_lastLength));
        _lastLength = line.Length;
        _writer.Flush();
    }

    /// <summary>"occlusion [#########-------------------] 33% 243/729 ETA 0:12"</summary>
    public static string Render(string label, long done, long total, double elapsedSeconds)
    {
        double fraction = total <= 0 ? 1 : Math.Clamp(done / (double)total, 0, 1);
        int filled = (int)Math.Round(fraction * BarWidth);
        string eta = done <= 0 || done >= total ? "" : " ETA " + Clock(elapsedSeconds * (total - done) / done);
        string time = done >= total ? " " + Clock(elapsedSeconds) : "";
        return $"{label} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,3:F0}% {done}/{total}{eta}{time}";
    }

    private static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes}:{t.Seconds:D2}";
    }

    /// <summary>Ends the bar's line so later output starts on a fresh one.</summary>
    public void Dispose()
    {
        if (_lastLength > 0) _writer.WriteLine();
    }
}
