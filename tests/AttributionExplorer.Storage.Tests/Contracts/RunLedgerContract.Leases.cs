using AttributionExplorer.Core.Runs;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Leases: one owner at a time (also under races), expiry hands the run over, a lost lease stops every write.</summary>
public abstract partial class RunLedgerContract
{
    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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
        Assert.Null(failed.LeaseExpiresUtc);
        Assert.NotNull(failed.FinishedUtc);
        // As any failed run, it can be retried on purpose.
        Assert.Equal(3, s.Ledger.TryClaim(run.Id, "w3", Minute, T0 + TimeSpan.FromMinutes(5))!.Attempts);
    }

    [SkippableFact]
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
}
