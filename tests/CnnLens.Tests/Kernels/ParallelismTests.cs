using CnnLens.Tensors;

namespace CnnLens.Tests.Kernels;

/// <summary>Parallelism.For on the engine's worker team: every index once, errors surfaced, nesting and concurrent callers safe.</summary>
public class ParallelismTests
{
    private const double Heavy = 1e6; // cost per item large enough to split over threads

    private static void WithThreads(int threads, Action action)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            action();
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void EveryIndexRunsExactlyOnceInContiguousRanges()
    {
        WithThreads(3, () =>
        {
            for (int count = 1; count <= 50; count++)
            {
                var hits = new int[count];
                Parallelism.For(count, (start, end) =>
                {
                    Assert.True(start < end);
                    for (int i = start; i < end; i++) Interlocked.Increment(ref hits[i]);
                }, Heavy);
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        });
    }

    [Fact]
    public void AnExceptionInAChunkReachesTheCallerAndTheTeamStaysUsable()
    {
        WithThreads(2, () =>
        {
            var error = Assert.Throws<InvalidOperationException>(() =>
                Parallelism.For(8, (start, end) => { if (start >= 4) throw new InvalidOperationException("chunk failed"); }, Heavy));
            Assert.Equal("chunk failed", error.Message);
            long sum = 0;
            Parallelism.For(100, (start, end) => { for (int i = start; i < end; i++) Interlocked.Add(ref sum, i); }, Heavy);
            Assert.Equal(4950, sum);
        });
    }

    [Fact]
    public void AnExceptionInANestedCallOnTheThreadPoolIsNotWrapped()
    {
        WithThreads(2, () =>
        {
            // The inner call finds the team busy and runs on the thread pool.
            var error = Assert.Throws<ArgumentException>(() => Parallelism.For(2, (s, e) =>
                Parallelism.For(4, (a, b) => throw new ArgumentException("inner"), Heavy), Heavy));
            Assert.Equal("inner", error.Message);
        });
    }

    [Fact]
    public void NestedAndConcurrentCallsComplete()
    {
        WithThreads(2, () =>
        {
            long total = 0;
            void Outer() => Parallelism.For(4, (s, e) =>
            {
                for (int i = s; i < e; i++)
                    Parallelism.For(10, (a, b) => Interlocked.Add(ref total, b - a), Heavy);
            }, Heavy);
            var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(Outer)).ToArray();
            Outer();
            Task.WaitAll(callers);
            Assert.Equal(5 * 4 * 10, total);
        });
    }
}
