using System.Runtime.ExceptionServices;

namespace CnnLens.Tensors;

/// <summary>
/// Dedicated worker threads for <see cref="Parallelism.For"/>, OpenMP style: after a job they poll
/// for a short while before sleeping, so the back-to-back kernels of a forward or reverse pass start
/// on all cores at once instead of waiting for thread-pool wake-ups. One job at a time: a call made
/// while a job runs (nested, or from another thread) is told to run elsewhere.
/// </summary>
internal sealed class WorkerTeam
{
    /// <summary>How many pauses (about 56 ns each here) an idle worker polls for the next job before it sleeps: about 5 ms, longer than any gap inside a pass.</summary>
    private const int PollIterations = 100_000;

    /// <summary>One call's chunks: claimed by index, counted down as they finish.</summary>
    private sealed class Job(Action<int> body, int count)
    {
        private readonly int _count = count;
        private int _next;
        private int _pending = count;
        private ExceptionDispatchInfo? _failure;

        public bool Done => Volatile.Read(ref _pending) == 0;

        public ExceptionDispatchInfo? Failure => _failure;

        /// <summary>Runs unclaimed chunks until none are left.</summary>
        public void Help()
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref _next) - 1) < _count)
            {
                try { body(chunk); }
                catch (Exception e) { Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null); }
                finally { Interlocked.Decrement(ref _pending); }
            }
        }
    }

    private readonly object _gate = new();
    private readonly List<Thread> _workers = [];
    private int _busy;    // 1 while a job runs
    private Job? _job;    // the latest job; workers help whichever they find

    public static WorkerTeam Shared { get; } = new();

    /// <summary>
    /// Runs <paramref name="body"/>(i) for i in [0, <paramref name="chunks"/>) on the calling thread and
    /// up to <paramref name="chunks"/> - 1 workers, returning when all are done (rethrowing the first
    /// exception). False, with nothing run, when a job is already running.
    /// </summary>
    public bool TryRun(int chunks, Action<int> body)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        try
        {
            EnsureWorkers(chunks - 1);
            var job = new Job(body, chunks);
            lock (_gate)
            {
                Volatile.Write(ref _job, job);
                Monitor.PulseAll(_gate);
            }
            job.Help();
            var spinner = new SpinWait();
            while (!job.Done) spinner.SpinOnce(sleep1Threshold: -1);
            job.Failure?.Throw();
            return true;
        }
        finally { Volatile.Write(ref _busy, 0); }
    }

    private void EnsureWorkers(int count)
    {
        while (_workers.Count < count)
        {
            var worker = new Thread(WorkerLoop) { IsBackground = true, Name = $"CnnLens worker {_workers.Count + 1}" };
            _workers.Add(worker);
            worker.Start();
        }
    }

    private void WorkerLoop()
    {
        Job? seen = null;
        while (true)
        {
            // Poll for a new job first, then sleep until one is announced.
            for (int i = 0; i < PollIterations && ReferenceEquals(Volatile.Read(ref _job), seen); i++) Thread.SpinWait(1);
            if (ReferenceEquals(Volatile.Read(ref _job), seen))
                lock (_gate)
                    while (ReferenceEquals(Volatile.Read(ref _job), seen)) Monitor.Wait(_gate);
            seen = Volatile.Read(ref _job);
            seen?.Help();
        }
    }
}
