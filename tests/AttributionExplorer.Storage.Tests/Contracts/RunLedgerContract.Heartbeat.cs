using System.Collections.Concurrent;
using System.Reflection;
using AttributionExplorer.Core.Runs;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Where the lease is renewed: on the working thread when it reports progress (a background thread that
/// allocates while the working thread is in libtorch can start the collection that frees a Scalar in use), by the
/// timer only when the working thread has been silent for half the lease.</summary>
public abstract partial class RunLedgerContract
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(400);

    [SkippableFact]
    public void AWorkerThatReportsProgressRenewsItsLeaseItselfAndTheTimerStaysQuiet()
    {
        using var s = CreateStorage();
        var (outcome, threads) = RunWithShortLease(s, scope =>
        {
            // 1.2 s, three leases long, reporting every 40 ms.
            for (int i = 0; i < 30; i++) { Thread.Sleep(40); RunScope.RenewDueOnThisThread(); }
            return 1;
        });
        int working = Environment.CurrentManagedThreadId;

        Assert.Equal(RunState.Complete, s.Ledger.Get(outcome.Run.Id)!.State);
        Assert.True(threads.Count >= 4, $"{threads.Count} renewals in 1.2 s with a quarter-lease period");
        Assert.All(threads, t => Assert.Equal(working, t));
    }

    [SkippableFact]
    public void ALongSilentStepIsCoveredByTheTimer()
    {
        using var s = CreateStorage();
        // One step three leases long without a progress report (a long native call): the lease must survive it.
        var (outcome, threads) = RunWithShortLease(s, scope =>
        {
            Thread.Sleep(1200);
            return scope.Unit("after", () => 2);
        });

        Assert.Equal(RunState.Complete, s.Ledger.Get(outcome.Run.Id)!.State);
        Assert.Contains(threads, t => t != Environment.CurrentManagedThreadId);
    }

    /// <summary>Runs <paramref name="body"/> under a 400 ms lease on this thread; the threads each renewal came from.</summary>
    private static (RunOutcome<int> Outcome, IReadOnlyCollection<int> RenewThreads) RunWithShortLease(IStorageUnderTest s, Func<RunScope, int> body)
    {
        var d = ImportDataset(s);
        var ledger = RenewRecorder.Wrap(s.Ledger);
        var executor = new RunExecutor(ledger, Worker, ShortLease);
        var outcome = executor.Execute(executor.Ensure(d.Id, d.Version, new TestRunParameters("eval.lds"), []), body);
        return (outcome, RenewRecorder.Threads(ledger));
    }

    /// <summary>Forwards every call to the real ledger and notes the thread of each Renew.</summary>
    public class RenewRecorder : DispatchProxy
    {
        private IRunLedger inner = null!;
        private readonly ConcurrentQueue<int> renewThreads = new();

        public static IRunLedger Wrap(IRunLedger inner)
        {
            var proxy = Create<IRunLedger, RenewRecorder>();
            ((RenewRecorder)(object)proxy).inner = inner;
            return proxy;
        }

        public static IReadOnlyCollection<int> Threads(IRunLedger proxy) => ((RenewRecorder)(object)proxy).renewThreads.ToArray();

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(IRunLedger.Renew)) renewThreads.Enqueue(Environment.CurrentManagedThreadId);
            try { return method.Invoke(inner, args); }
            catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
        }
    }
}
