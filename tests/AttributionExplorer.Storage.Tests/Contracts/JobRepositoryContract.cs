using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Jobs are ledger runs of kind "job.{kind}": queued by the web app, claimed by a worker through the ledger.</summary>
public abstract class JobRepositoryContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private static readonly string[] Kinds = ["job." + JobKinds.TrakRegion];
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [SkippableFact]
    public void EnqueuedJobsReadBackQueued()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var before = DateTime.UtcNow.AddSeconds(-1);
        long id = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{\"a\":1}");
        var job = s.Jobs.Get(id)!;
        Assert.Equal((id, d.Id, JobKinds.TrakRegion, JobStatus.Queued, "{\"a\":1}"), (job.Id, job.DatasetId, job.Kind, job.Status, job.RequestJson));
        Assert.InRange(job.CreatedUtc, before, DateTime.UtcNow.AddSeconds(1));
        Assert.Null(job.StartedUtc);
        Assert.Null(job.Worker);
        Assert.Equal(("job." + JobKinds.TrakRegion, RunState.Queued), (s.Ledger.Get(id)!.Kind, s.Ledger.Get(id)!.State));
        // Two identical requests are two jobs.
        Assert.NotEqual(id, s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{\"a\":1}"));
        // Other runs are not jobs.
        Assert.Null(s.Jobs.Get(CompleteRun(s, d, "train").Id));
        Assert.Null(s.Jobs.Get(id + 1000));
    }

    [SkippableFact]
    public void JobsAreClaimedOldestFirstAndOnlyOnce()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long first = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{\"a\":1}");
        long second = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{\"a\":2}");

        var claimed = s.Ledger.ClaimNext(Kinds, "w1", Lease, DateTime.UtcNow, 3)!;
        Assert.Equal(first, claimed.Id);
        var job = s.Jobs.Get(first)!;
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal("w1", job.Worker);
        Assert.NotNull(job.StartedUtc);
        Assert.Equal(second, s.Ledger.ClaimNext(Kinds, "w2", Lease, DateTime.UtcNow, 3)!.Id);
        Assert.Null(s.Ledger.ClaimNext(Kinds, "w3", Lease, DateTime.UtcNow, 3));
    }

    [SkippableFact]
    public void CompletionAndFailureAreRecorded()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long ok = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{}");
        long bad = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{}");
        var worker = Executor(s, "w");
        var done = worker.Execute(s.Ledger.ClaimNext(Kinds, "w", Lease, DateTime.UtcNow, 3)!, _ => new { ResultTargetId = (long?)null, Result = new { seconds = 0.5 } });
        Assert.Throws<ArgumentException>(() => worker.Execute<int>(s.Ledger.ClaimNext(Kinds, "w", Lease, DateTime.UtcNow, 3)!,
            _ => throw new ArgumentException("image 7 does not exist")));

        var complete = s.Jobs.Get(ok)!;
        Assert.Equal(JobStatus.Done, complete.Status);
        Assert.Equal("{\"seconds\":0.5}", complete.ResultJson);
        Assert.Null(complete.ResultTargetId);
        Assert.NotNull(complete.FinishedUtc);
        var failed = s.Jobs.Get(bad)!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("image 7 does not exist", failed.Error);
        Assert.Equal(new[] { bad, ok }, s.Jobs.ListRecent(d.Id, 10).Select(j => j.Id));
        Assert.Equal(new[] { bad }, s.Jobs.ListRecent(d.Id, 1).Select(j => j.Id));
    }

    [SkippableFact]
    public void AJobsResultNamesTheTargetItProduced()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long id = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{}");
        var run = s.Ledger.ClaimNext(Kinds, "w", Lease, DateTime.UtcNow, 3)!;
        s.Ledger.Complete(run.Id, "w", "{\"resultTargetId\":17,\"result\":{\"pixels\":4}}", 0.1);
        var job = s.Jobs.Get(id)!;
        Assert.Equal((JobStatus.Done, (long?)17, "{\"pixels\":4}"), (job.Status, job.ResultTargetId, job.ResultJson));
    }

    [SkippableFact]
    public void RunningJobsOfAStoppedWorkerAreClaimedAgainOnceTheirLeaseExpires()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long id = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{}");
        var t0 = DateTime.UtcNow;
        s.Ledger.ClaimNext(Kinds, "crashed", Lease, t0, 3);
        Assert.Null(s.Ledger.ClaimNext(Kinds, "other", Lease, t0 + TimeSpan.FromSeconds(30), 3));
        Assert.Equal(JobStatus.Running, s.Jobs.Get(id)!.Status);
        var again = s.Ledger.ClaimNext(Kinds, "new", Lease, t0 + TimeSpan.FromMinutes(2), 3)!;
        Assert.Equal((id, 2), (again.Id, again.Attempts));
        Assert.Equal("new", s.Jobs.Get(id)!.Worker);
    }

    [SkippableFact]
    public void ACancelledJobReadsAsFailed()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long id = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{}");
        Assert.True(s.Ledger.Cancel(id));
        var job = s.Jobs.Get(id)!;
        Assert.Equal((JobStatus.Failed, "cancelled"), (job.Status, job.Error));
    }

    [SkippableFact]
    public void OnlyTheLeaseHolderRecordsProgressAndQueuedJobsKnowHowManyWaitBeforeThem()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long first = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{}");
        long second = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{}");
        long third = s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{}");
        Assert.Equal(new[] { 0, 1, 2 }, new[] { first, second, third }.Select(id => s.Jobs.Get(id)!.Ahead));
        Assert.Null(s.Jobs.Get(first)!.Progress);
        // Not running yet: nothing is recorded.
        Assert.False(s.Jobs.ReportProgress(first, "w", 0.5, "early"));

        s.Ledger.ClaimNext(Kinds, "w", Lease, DateTime.UtcNow, 3);
        Assert.True(s.Jobs.ReportProgress(first, "w", 0.25, "scored checkpoint 1 of 4"));
        Assert.False(s.Jobs.ReportProgress(first, "intruder", 0.9, "not mine"));
        var running = s.Jobs.Get(first)!;
        Assert.Equal((JobStatus.Running, (double?)0.25, "scored checkpoint 1 of 4", 0), (running.Status, running.Progress, running.ProgressNote, running.Ahead));
        Assert.Equal(new[] { 0, 1 }, new[] { second, third }.Select(id => s.Jobs.Get(id)!.Ahead));
        Assert.True(s.Jobs.ReportProgress(first, "w", 7, "clamped"));
        Assert.Equal(1.0, s.Jobs.Get(first)!.Progress);
        Assert.Contains("progress", Assert.Throws<ArgumentException>(() => s.Jobs.ReportProgress(first, "w", double.NaN, "x")).Message);

        s.Ledger.Complete(first, "w", "{}", 0.1);
        Assert.Equal(1.0, s.Jobs.Get(first)!.Progress);
    }
}
