using AttributionExplorer.Core.Runs;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>RunExecutor over the ledger: reuse of complete runs, retry of failed ones, resume from saved units after a worker died.</summary>
public abstract partial class RunLedgerContract
{
    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
    public void ExecuteOrWaitWaitsForTheWorkerComputingTheRunAndReusesItsResult()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var parameters = new TestRunParameters("rank.trak.region");
        using var claimed = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = new Thread(() => Executor(s, "first").Execute(d.Id, d.Version, parameters, [], _ =>
        {
            claimed.Set();
            release.Wait();
            return new TestRunResult(7);
        }));
        first.Start();
        claimed.Wait();
        bool called = false;
        // Released once the second worker has found the run busy a few times (it would have thrown at the first).
        var releaser = new Thread(() => { Thread.Sleep(300); release.Set(); });
        releaser.Start();
        var outcome = Executor(s, "second").ExecuteOrWait(d.Id, d.Version, parameters, [], _ => { called = true; return new TestRunResult(-1); },
            poll: TimeSpan.FromMilliseconds(20), maxWait: TimeSpan.FromSeconds(30));
        first.Join();
        releaser.Join();

        Assert.False(called);
        Assert.True(outcome.Reused);
        Assert.Equal((7, RunState.Complete, 1), (outcome.Result.Count, outcome.Run.State, outcome.Run.Attempts));
    }

    [SkippableFact]
    public void ExecuteOrWaitGivesUpAfterItsLimitAndTakesOverTheRunOfAWorkerThatDied()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var executor = Executor(s, "second");
        var busy = new TestRunParameters("rank.trak.region", 1);
        Assert.NotNull(s.Ledger.TryClaim(executor.Ensure(d.Id, d.Version, busy, []).Id, "first", Minute, DateTime.UtcNow));
        var error = Assert.Throws<InvalidOperationException>(() => executor.ExecuteOrWait(d.Id, d.Version, busy, [],
            _ => new TestRunResult(1), poll: TimeSpan.FromMilliseconds(20), maxWait: TimeSpan.FromMilliseconds(100)));
        Assert.Contains("first", error.Message);

        // Claimed by a worker that died at once: its lease runs out while the next one waits, which then runs it.
        var orphan = new TestRunParameters("rank.trak.region", 2);
        Assert.NotNull(s.Ledger.TryClaim(executor.Ensure(d.Id, d.Version, orphan, []).Id, "died", TimeSpan.FromMilliseconds(300), DateTime.UtcNow));
        var outcome = executor.ExecuteOrWait(d.Id, d.Version, orphan, [], _ => new TestRunResult(2),
            poll: TimeSpan.FromMilliseconds(20), maxWait: TimeSpan.FromSeconds(30));
        Assert.False(outcome.Reused);
        Assert.Equal((2, RunState.Complete, 2), (outcome.Result.Count, outcome.Run.State, outcome.Run.Attempts));
    }
}
