using AttributionExplorer.Core.Runs;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>The run ledger: identities, leases (claim, renew, expiry, takeover), units, artifacts, and the
/// RunExecutor lifecycle on top of it.</summary>
public abstract class RunLedgerContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private sealed class Failure(string message) : Exception(message);

    [Fact]
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
        Assert.NotEqual(first.Id, second.Id);

        // Through the executor: the identity covers the parameters, the dataset version and the upstream runs.
        var executor = Executor(s);
        var typed = executor.Ensure(d.Id, d.Version, new TestRunParameters("train", 1), []);
        Assert.Equal(typed.Id, executor.Ensure(d.Id, d.Version, new TestRunParameters("train", 1), []).Id);
        Assert.NotEqual(typed.Id, executor.Ensure(d.Id, d.Version, new TestRunParameters("train", 2), []).Id);
        Assert.NotEqual(typed.Id, executor.Ensure(d.Id, d.Version + "-changed", new TestRunParameters("train", 1), []).Id);
        Assert.NotEqual(typed.Id, executor.Ensure(d.Id, d.Version, new TestRunParameters("train", 1), [first.Id]).Id);
        Assert.Equal(1, RunParameters.Read<TestRunParameters>(typed).Seed);
    }

    [Fact]
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

    [Fact]
    public void RacingEnsuresGetTheSameRun()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var ids = Race(8, _ => s.Ledger.Ensure(d.Id, "k", "same", "{}", []).Id);
        Assert.Single(ids.Distinct());
        Assert.Single(s.Ledger.List(d.Id));
    }

    [Fact]
    public void TryClaimGivesTheRunToOneOwnerAndALiveLeaseBlocksAnother()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var run = s.Ledger.Ensure(d.Id, "k", "r", "{}", []);
        var claimed = s.Ledger.TryClaim(run.Id, "w1", Minute, T0)!;
        Assert.Equal((RunState.Running, "w1", 1), (claimed.State, claimed.LeaseOwner, claimed.Attempts));
        Assert.Equal(T0 + Minute, claimed.LeaseExpiresUtc);
        Assert.Equal(T0, claimed.StartedUtc);

        Assert.Null(s.Ledger.TryClaim(run.Id, "w2", Minute, T0 + TimeSpan.FromSeconds(59)));
        // The holder claiming again keeps its lease and does not count a new attempt.
        var again = s.Ledger.TryClaim(run.Id, "w1", Minute, T0 + TimeSpan.FromSeconds(30))!;
        Assert.Equal(("w1", 1), (again.LeaseOwner, again.Attempts));
        Assert.True(s.Ledger.Renew(run.Id, "w1", Minute, T0 + TimeSpan.FromSeconds(50)));
        Assert.False(s.Ledger.Renew(run.Id, "w2", Minute, T0 + TimeSpan.FromSeconds(50)));
        Assert.Equal(T0 + TimeSpan.FromSeconds(110), s.Ledger.Get(run.Id)!.LeaseExpiresUtc);
        // Renewed: still blocked where the first lease would have expired.
        Assert.Null(s.Ledger.TryClaim(run.Id, "w2", Minute, T0 + TimeSpan.FromSeconds(90)));
        Assert.Equal("w1", s.Ledger.Get(run.Id)!.LeaseOwner);
    }

    [Fact]
    public void TwoThreadsRacingForOneRunGiveItToExactlyOneOwner()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        for (int round = 0; round < 5; round++)
        {
            var run = s.Ledger.Ensure(d.Id, "k", $"race-{round}", "{}", []);
            var winners = Race(2, w => s.Ledger.TryClaim(run.Id, $"w{w}", Minute, DateTime.UtcNow)?.LeaseOwner);
            string winner = Assert.Single(winners, w => w is not null)!;
            Assert.Equal((winner, 1), (s.Ledger.Get(run.Id)!.LeaseOwner, s.Ledger.Get(run.Id)!.Attempts));
        }
    }

    [Fact]
    public void RacingClaimNextHandsEveryRunToExactlyOneOwner()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var queued = Enumerable.Range(0, 12).Select(i => s.Ledger.Ensure(d.Id, "job.x", $"j{i}", "{}", []).Id).ToArray();
        var claims = Race(3, w =>
        {
            var mine = new List<long>();
            while (s.Ledger.ClaimNext(["job.x"], $"w{w}", Minute, DateTime.UtcNow, 3) is { } run) mine.Add(run.Id);
            return mine;
        });
        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(queued.Order(), all.Order());
        Assert.All(s.Ledger.List(d.Id), r => Assert.Equal((RunState.Running, 1), (r.State, r.Attempts)));
    }

    [Fact]
    public void ClaimNextTakesTheOldestQueuedRunOfTheGivenKinds()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var other = s.Ledger.Ensure(d.Id, "job.other", "o", "{}", []);
        var first = s.Ledger.Ensure(d.Id, "job.x", "a", "{}", []);
        var second = s.Ledger.Ensure(d.Id, "job.y", "b", "{}", []);
        var claimed = s.Ledger.ClaimNext(["job.x", "job.y"], "w", Minute, T0, 3)!;
        Assert.Equal((first.Id, RunState.Running, "w", 1), (claimed.Id, claimed.State, claimed.LeaseOwner, claimed.Attempts));
        Assert.Equal(second.Id, s.Ledger.ClaimNext(["job.x", "job.y"], "w", Minute, T0, 3)!.Id);
        Assert.Null(s.Ledger.ClaimNext(["job.x", "job.y"], "w", Minute, T0, 3));
        Assert.Equal(RunState.Queued, s.Ledger.Get(other.Id)!.State);
    }

    [Fact]
    public void AnExpiredLeaseIsClaimedByAnotherOwnerUntilTheAttemptsRunOut()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var run = s.Ledger.Ensure(d.Id, "job.x", "j", "{}", []);
        string[] kinds = ["job.x"];
        Assert.Equal(1, s.Ledger.ClaimNext(kinds, "w1", Minute, T0, 2)!.Attempts);
        Assert.Null(s.Ledger.ClaimNext(kinds, "w2", Minute, T0 + TimeSpan.FromSeconds(30), 2));
        var second = s.Ledger.ClaimNext(kinds, "w2", Minute, T0 + TimeSpan.FromMinutes(2), 2)!;
        Assert.Equal((run.Id, "w2", 2), (second.Id, second.LeaseOwner, second.Attempts));

        // w2 died too: the run has had its maximum of attempts, so it is failed with the reason instead of claimed.
        Assert.Null(s.Ledger.ClaimNext(kinds, "w3", Minute, T0 + TimeSpan.FromMinutes(4), 2));
        var failed = s.Ledger.Get(run.Id)!;
        Assert.Equal(RunState.Failed, failed.State);
        Assert.Contains("2 times", failed.Error);
        Assert.Null(failed.LeaseOwner);
        Assert.NotNull(failed.FinishedUtc);
    }

    [Fact]
    public void ALostLeaseMakesEveryWriteOfTheOldOwnerThrow()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var run = s.Ledger.Ensure(d.Id, "k", "r", "{}", []);
        Assert.NotNull(s.Ledger.TryClaim(run.Id, "w1", Minute, T0));
        s.Ledger.SaveUnit(run.Id, "w1", new RunUnit("u1", "1", 0.5));
        Assert.NotNull(s.Ledger.TryClaim(run.Id, "w2", Minute, T0 + TimeSpan.FromMinutes(2)));

        Assert.Throws<RunLeaseLostException>(() => s.Ledger.SaveUnit(run.Id, "w1", new RunUnit("u2", "2", 0.5)));
        Assert.Throws<RunLeaseLostException>(() => s.Ledger.AddArtifact(run.Id, "w1", new RunArtifact("a", "a.bin", "00", 1)));
        Assert.Throws<RunLeaseLostException>(() => s.Ledger.Complete(run.Id, "w1", "{}", 1));
        Assert.False(s.Ledger.Renew(run.Id, "w1", Minute, T0 + TimeSpan.FromMinutes(2)));
        s.Ledger.Fail(run.Id, "w1", "too late", 1); // not the holder: changes nothing
        var current = s.Ledger.Get(run.Id)!;
        Assert.Equal((RunState.Running, "w2", 2, (string?)null), (current.State, current.LeaseOwner, current.Attempts, current.Error));
        Assert.Equal(new[] { "u1" }, s.Ledger.Units(run.Id).Keys);
        Assert.Empty(s.Ledger.Artifacts(run.Id));
        Assert.Throws<RunLeaseLostException>(() => s.Ledger.SaveUnit(run.Id, "nobody", new RunUnit("u3", "3", 0)));
    }

    [Fact]
    public void AnotherExecutorResumesARunWhoseWorkerDiedFromItsSavedUnits()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var parameters = new TestRunParameters("eval.lds");
        // The first worker's clock is an hour behind: its lease expired long ago, as if it had stopped heartbeating.
        var dying = Executor(s, "dying", Minute, () => DateTime.UtcNow.AddHours(-1));
        var survivor = Executor(s, "survivor", Minute);
        var computed = new List<string>();
        RunOutcome<int>? resumed = null;

        var lost = Assert.Throws<RunLeaseLostException>(() => dying.Execute(dying.Ensure(d.Id, d.Version, parameters, []), scope =>
        {
            int one = scope.Unit("u1", () => { computed.Add("dying:u1"); return 1; });
            // While the first worker is "dead", the second claims the run, resumes from unit 1 and completes it.
            resumed = survivor.Execute(survivor.Ensure(d.Id, d.Version, parameters, []), scope2 =>
            {
                Assert.True(scope2.HasUnit("u1"));
                int a = scope2.Unit("u1", () => { computed.Add("survivor:u1"); return -1; });
                int b = scope2.Unit("u2", () => { computed.Add("survivor:u2"); return 2; });
                return a + b;
            });
            return one + scope.Unit("u2", () => { computed.Add("dying:u2"); return 20; });
        }));

        Assert.Contains("dying", lost.Message);
        Assert.Equal(new[] { "dying:u1", "survivor:u2", "dying:u2" }, computed);
        Assert.NotNull(resumed);
        Assert.False(resumed.Reused);
        var run = s.Ledger.Get(resumed.Run.Id)!;
        Assert.Equal((RunState.Complete, 3, "3", 2), (run.State, resumed.Result, run.ResultJson, run.Attempts));
        Assert.Equal(new[] { "u1", "u2" }, s.Ledger.Units(run.Id).Keys.Order());
        Assert.Equal("2", s.Ledger.Units(run.Id)["u2"].ValueJson);
    }

    [Fact]
    public void AnExpiredLeaseClaimedThroughTheLedgerIsResumedByAnExecutor()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var executor = Executor(s, "second");
        var run = executor.Ensure(d.Id, d.Version, new TestRunParameters("train"), []);
        // A worker claimed it an hour ago, finished unit 1 and was killed.
        Assert.NotNull(s.Ledger.TryClaim(run.Id, "killed", Minute, DateTime.UtcNow.AddHours(-1)));
        s.Ledger.SaveUnit(run.Id, "killed", new RunUnit("epoch1", "0.25", 3));

        var seen = new List<string>();
        var outcome = executor.Execute(run, scope =>
        {
            seen.AddRange(scope.Units.Keys);
            double loss1 = scope.Unit<double>("epoch1", () => throw new InvalidOperationException("unit 1 must not be recomputed"));
            double loss2 = scope.Unit("epoch2", () => 0.125);
            return new TestRunResult((int)((loss1 + loss2) * 8));
        });
        Assert.Equal(new[] { "epoch1" }, seen);
        Assert.Equal((false, 3, 2, RunState.Complete), (outcome.Reused, outcome.Result.Count, outcome.Run.Attempts, outcome.Run.State));
    }

    [Fact]
    public void ExecuteRefusesARunAnotherWorkerIsComputing()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var executor = Executor(s, "second");
        var run = executor.Ensure(d.Id, d.Version, new TestRunParameters("train"), []);
        Assert.NotNull(s.Ledger.TryClaim(run.Id, "first", Minute, DateTime.UtcNow));
        bool called = false;
        var error = Assert.Throws<InvalidOperationException>(() => executor.Execute(run, _ => called = true));
        Assert.Contains("first", error.Message);
        Assert.False(called);
        Assert.Equal("first", s.Ledger.Get(run.Id)!.LeaseOwner);
    }

    [Fact]
    public void ACompleteRunIsReusedWithoutCallingTheBody()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        int calls = 0;
        RunOutcome<TestRunResult> Execute() => Executor(s).Execute(d.Id, d.Version, new TestRunParameters("train", 3), [], _ =>
        {
            calls++;
            return new TestRunResult(42);
        });
        var first = Execute();
        Assert.False(first.Reused);
        Assert.Equal(RunState.Complete, first.Run.State);
        Assert.NotNull(first.Run.FinishedUtc);
        Assert.Null(first.Run.LeaseOwner);
        var second = Execute();
        Assert.True(second.Reused);
        Assert.Equal((first.Run.Id, 42, 1), (second.Run.Id, second.Result.Count, calls));
        // A stale record of the run (read before it completed) is reused too.
        var stale = first.Run with { State = RunState.Queued };
        Assert.True(Executor(s, "other").Execute<TestRunResult>(stale, _ => throw new InvalidOperationException("must not run")).Reused);
        Assert.Null(s.Ledger.TryClaim(first.Run.Id, "other", Minute, DateTime.UtcNow));
    }

    [Fact]
    public void FailRecordsTheErrorAndALaterExecuteRetriesIt()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var parameters = new TestRunParameters("train", 5);
        Assert.Throws<Failure>(() => Executor(s).Execute<TestRunParameters, TestRunResult>(d.Id, d.Version, parameters, [], scope =>
        {
            scope.Unit("step1", () => 1);
            throw new Failure("out of memory");
        }));
        var failed = Assert.Single(s.Ledger.List(d.Id));
        Assert.Equal((RunState.Failed, "out of memory", (string?)null), (failed.State, failed.Error, failed.LeaseOwner));
        Assert.NotNull(failed.FinishedUtc);

        var retried = Executor(s, "other").Execute(d.Id, d.Version, parameters, [], scope =>
        {
            Assert.True(scope.HasUnit("step1"));
            return new TestRunResult(scope.Unit("step1", () => 99) + scope.Unit("step2", () => 2));
        });
        Assert.False(retried.Reused);
        Assert.Equal((failed.Id, RunState.Complete, (string?)null, 2, 3), (retried.Run.Id, retried.Run.State, retried.Run.Error, retried.Run.Attempts, retried.Result.Count));
    }

    [Fact]
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
        Assert.Equal((queued.Id, RunState.Queued), (s.Ledger.Ensure(d.Id, "k", "q", "{}", []).Id, s.Ledger.Get(queued.Id)!.State));
    }

    [Fact]
    public void CancellingARunningRunStopsItsExecutorAtItsNextUnitWithoutFailingIt()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var executor = Executor(s);
        var run = executor.Ensure(d.Id, d.Version, new TestRunParameters("train"), []);
        Assert.Throws<RunLeaseLostException>(() => executor.Execute(run, scope =>
        {
            scope.Unit("u1", () => 1);
            Assert.True(s.Ledger.Cancel(scope.RunId));
            return scope.Unit("u2", () => 2);
        }));
        var cancelled = s.Ledger.Get(run.Id)!;
        Assert.Equal((RunState.Cancelled, (string?)null), (cancelled.State, cancelled.Error));
        Assert.Equal(new[] { "u1" }, s.Ledger.Units(run.Id).Keys);
    }

    [Fact]
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
