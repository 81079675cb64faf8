using AttributionExplorer.Core.Runs;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>The run ledger: identities, leases (claim, renew, expiry, takeover), units, artifacts, and the
/// RunExecutor lifecycle on top of it.</summary>
public abstract partial class RunLedgerContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private sealed class Failure(string message) : Exception(message);

    [SkippableFact]
    public void EnsureIsIdempotentForAnIdentityAndAChangedIdentityMakesANewRun()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var first = s.Ledger.Ensure(d.Id, "rank.x", "id-1", "{\"a\":1}", [7, 3]);
        Assert.Equal((RunState.Queued, "rank.x", "id-1", "{\"a\":1}", 0), (first.State, first.Kind, first.Identity, first.ParametersJson, first.Attempts));
        Assert.Equal(new long[] { 7, 3 }, first.Upstream);
        Assert.Null(first.LeaseOwner);
        AssertSame(first, s.Ledger.Ensure(d.Id, "rank.x", "id-1", "{\"a\":1}", [7, 3]));
        AssertSame(first, s.Ledger.FindByIdentity(d.Id, "id-1")!);
        Assert.Null(s.Ledger.FindByIdentity(d.Id, "id-9"));
        var second = s.Ledger.Ensure(d.Id, "rank.x", "id-2", "{\"a\":2}", []);
        // Asking again for an existing run uses up no id: run numbers (on every page) grow with new runs only.
        Assert.Equal(first.Id + 1, second.Id);

        // Through the executor: the identity covers the parameters, the dataset version and the upstream runs.
        var executor = Executor(s);
        var typed = executor.Ensure(d.Id, d.Version, new TestRunParameters("train", 1), []);
        Assert.Equal(typed.Id, executor.Ensure(d.Id, d.Version, new TestRunParameters("train", 1), []).Id);
        Assert.NotEqual(typed.Id, executor.Ensure(d.Id, d.Version, new TestRunParameters("train", 2), []).Id);
        Assert.NotEqual(typed.Id, executor.Ensure(d.Id, d.Version + "-changed", new TestRunParameters("train", 1), []).Id);
        Assert.NotEqual(typed.Id, executor.Ensure(d.Id, d.Version, new TestRunParameters("train", 1), [first.Id]).Id);
        Assert.Equal(1, RunParameters.Read<TestRunParameters>(typed).Seed);
    }

    [SkippableFact]
    public void ListIsNewestFirstAndFiltersByKindAndState()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var other = ImportDataset(s, Import("other"));
        var a = s.Ledger.Ensure(d.Id, "k1", "a", "{}", []);
        var b = s.Ledger.Ensure(d.Id, "k2", "b", "{}", []);
        var c = s.Ledger.Ensure(d.Id, "k1", "c", "{}", []);
        s.Ledger.Ensure(other.Id, "k1", "a", "{}", []);
        Assert.NotNull(s.Ledger.TryClaim(c.Id, "w", Minute, DateTime.UtcNow));

        Assert.Equal(new[] { c.Id, b.Id, a.Id }, s.Ledger.List(d.Id).Select(r => r.Id));
        Assert.Equal(new[] { c.Id, a.Id }, s.Ledger.List(d.Id, "k1").Select(r => r.Id));
        Assert.Equal(new[] { a.Id }, s.Ledger.List(d.Id, "k1", RunState.Queued).Select(r => r.Id));
        Assert.Equal(new[] { c.Id }, s.Ledger.List(d.Id, state: RunState.Running).Select(r => r.Id));
        Assert.Single(s.Ledger.List(other.Id));
    }

    [SkippableFact]
    public void RacingEnsuresGetTheSameRun()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var ids = Race(8, _ => s.Ledger.Ensure(d.Id, "k", "same", "{}", []).Id);
        Assert.Single(ids.Distinct());
        Assert.Single(s.Ledger.List(d.Id));
    }

    [SkippableFact]
    public void CancelStopsQueuedAndRunningRunsAndEnsuringAgainRequeues()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var queued = s.Ledger.Ensure(d.Id, "k", "q", "{}", []);
        Assert.True(s.Ledger.Cancel(queued.Id));
        Assert.False(s.Ledger.Cancel(queued.Id));
        Assert.Equal(RunState.Cancelled, s.Ledger.Get(queued.Id)!.State);
        Assert.Null(s.Ledger.TryClaim(queued.Id, "w", Minute, DateTime.UtcNow));
        Assert.Null(s.Ledger.ClaimNext(["k"], "w", Minute, DateTime.UtcNow, 3));
        Assert.Contains("cancelled", Assert.Throws<InvalidOperationException>(() => Executor(s).Execute(s.Ledger.Get(queued.Id)!, _ => 1)).Message);

        var running = s.Ledger.Ensure(d.Id, "k", "r", "{}", []);
        Assert.NotNull(s.Ledger.TryClaim(running.Id, "w", Minute, DateTime.UtcNow));
        Assert.True(s.Ledger.Cancel(running.Id));
        var cancelled = s.Ledger.Get(running.Id)!;
        Assert.Equal((RunState.Cancelled, (string?)null), (cancelled.State, cancelled.LeaseOwner));
        Assert.Throws<RunLeaseLostException>(() => s.Ledger.SaveUnit(running.Id, "w", new RunUnit("u", "1", 0)));
        Assert.Throws<RunLeaseLostException>(() => s.Ledger.Complete(running.Id, "w", "{}", 0));

        // Complete runs cannot be cancelled; asking for a cancelled run again queues it again.
        var done = CompleteRun(s, d, "train");
        Assert.False(s.Ledger.Cancel(done.Id));
        Assert.Equal(RunState.Complete, s.Ledger.Get(done.Id)!.State);
        var requeued = s.Ledger.Ensure(d.Id, "k", "q", "{}", []);
        Assert.Equal((queued.Id, RunState.Queued, (string?)null, (DateTime?)null), (requeued.Id, requeued.State, requeued.Error, requeued.FinishedUtc));
        Assert.Equal(queued.Id, s.Ledger.ClaimNext(["k"], "w", Minute, DateTime.UtcNow, 3)!.Id);
    }

    [SkippableFact]
    public void UnitsAndArtifactsRoundTripAndALaterSaveOfAUnitReplacesIt()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var run = s.Ledger.Ensure(d.Id, "k", "r", "{}", []);
        Assert.NotNull(s.Ledger.TryClaim(run.Id, "w", Minute, DateTime.UtcNow));
        Assert.Empty(s.Ledger.Units(run.Id));
        s.Ledger.SaveUnit(run.Id, "w", new RunUnit("subset0", "{\"x\":1}", 2.5));
        s.Ledger.SaveUnit(run.Id, "w", new RunUnit("subset1", "{\"x\":2}", 1.5));
        s.Ledger.SaveUnit(run.Id, "w", new RunUnit("subset1", "{\"x\":3}", 1.0));
        var units = s.Ledger.Units(run.Id);
        Assert.Equal(new RunUnit("subset0", "{\"x\":1}", 2.5), units["subset0"]);
        Assert.Equal(new RunUnit("subset1", "{\"x\":3}", 1.0), units["subset1"]);
        Assert.Equal(2, units.Count);

        s.Ledger.AddArtifact(run.Id, "w", new RunArtifact("zeta", Path.Combine("trak", "z.bin"), "ab", 10));
        s.Ledger.AddArtifact(run.Id, "w", new RunArtifact("alpha", "a.bin", "cd", 20));
        s.Ledger.AddArtifact(run.Id, "w", new RunArtifact("alpha", "a2.bin", "ef", 30));
        Assert.Equal(new[] { new RunArtifact("alpha", "a2.bin", "ef", 30), new RunArtifact("zeta", Path.Combine("trak", "z.bin"), "ab", 10) },
            s.Ledger.Artifacts(run.Id));

        s.Ledger.Complete(run.Id, "w", "{\"ok\":true}", 4.5);
        var complete = s.Ledger.Get(run.Id)!;
        Assert.Equal((RunState.Complete, "{\"ok\":true}", 4.5), (complete.State, complete.ResultJson, complete.Seconds));
        Assert.Null(s.Ledger.Get(run.Id + 1000));
    }

    private static void AssertSame(RunRecord expected, RunRecord actual)
    {
        Assert.Equal(expected.Upstream, actual.Upstream);
        Assert.Equal(expected, actual with { Upstream = expected.Upstream });
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="threads"/> threads released together.</summary>
    private static T[] Race<T>(int threads, Func<int, T> work)
    {
        var results = new T[threads];
        var errors = new Exception?[threads];
        using var start = new Barrier(threads);
        var running = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            try { results[i] = work(i); }
            catch (Exception e) { errors[i] = e; }
        })).ToArray();
        foreach (var t in running) t.Start();
        foreach (var t in running) t.Join();
        Assert.All(errors, e => Assert.Null(e));
        return results;
    }
}
