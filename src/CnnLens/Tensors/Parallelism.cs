namespace CnnLens.Tensors;

/// <summary>
/// How many threads kernels may use (the CLI's <c>--threads</c>). Kernels split their work with
/// <see cref="For"/>, which runs inline when one thread is allowed or the work is small.
/// </summary>
public static class Parallelism
{
    private static int _maxThreads = Environment.ProcessorCount;

    public static int MaxThreads
    {
        get => _maxThreads;
        set
        {
            if (value < 1) throw new InvalidOptionException($"thread count must be at least 1, got {value}");
            _maxThreads = value;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, count) in at most <see cref="MaxThreads"/>
    /// contiguous chunks. <paramref name="costPerItem"/> (roughly, flops) keeps tiny loops on one thread.
    /// </summary>
    public static void For(int count, Action<int, int> body, double costPerItem = 1e4)
    {
        if (count <= 0) return;
        int chunks = Math.Min(MaxThreads, count);
        if (chunks > 1 && count * costPerItem < 2e5) chunks = 1;
        if (chunks == 1)
        {
            body(0, count);
            return;
        }
        void Chunk(int c)
        {
            int start = (int)((long)count * c / chunks);
            int end = (int)((long)count * (c + 1) / chunks);
            if (end > start) body(start, end);
        }
        // The engine's own polling workers start each kernel on every core at once; a call made while
        // they are busy (nested, or from another thread) goes to the thread pool instead. Either way a
        // failing chunk's own exception reaches the caller.
        if (WorkerTeam.Shared.TryRun(chunks, Chunk)) return;
        try
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, Chunk);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
