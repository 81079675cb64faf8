using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage.Tests.Repositories;

public class JobRepositoryTests
{
    private static (TempDatabase Db, long DatasetId) Setup()
    {
        var db = new TempDatabase();
        return (db, new DatasetRepository(db.Database).Import(TempDatabase.SampleImport()));
    }

    [Fact]
    public void JobsAreClaimedOldestFirstAndOnlyOnce()
    {
        var (db, datasetId) = Setup();
        using var _ = db;
        var jobs = new JobRepository(db.Database);
        long first = jobs.Enqueue(datasetId, JobKinds.TrakRegion, "{\"a\":1}");
        long second = jobs.Enqueue(datasetId, JobKinds.TrakRegion, "{\"a\":2}");

        var claimed = jobs.ClaimNext("w1")!;
        Assert.Equal(first, claimed.Id);
        Assert.Equal(JobStatus.Running, claimed.Status);
        Assert.Equal("w1", claimed.Worker);
        Assert.NotNull(claimed.StartedUtc);
        Assert.Equal(second, jobs.ClaimNext("w2")!.Id);
        Assert.Null(jobs.ClaimNext("w3"));
    }

    [Fact]
    public void CompletionAndFailureAreRecorded()
    {
        var (db, datasetId) = Setup();
        using var _ = db;
        var jobs = new JobRepository(db.Database);
        long ok = jobs.Enqueue(datasetId, JobKinds.TrakRegion, "{}");
        long bad = jobs.Enqueue(datasetId, JobKinds.TrakRegion, "{}");
        jobs.ClaimNext("w");
        jobs.ClaimNext("w");
        jobs.Complete(ok, null, "{\"seconds\":0.5}");
        jobs.Fail(bad, "image 7 does not exist");

        var done = jobs.Get(ok)!;
        Assert.Equal(JobStatus.Done, done.Status);
        Assert.Equal("{\"seconds\":0.5}", done.ResultJson);
        Assert.NotNull(done.FinishedUtc);
        var failed = jobs.Get(bad)!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("image 7 does not exist", failed.Error);
        Assert.Equal(new[] { bad, ok }, jobs.ListRecent(datasetId, 10).Select(j => j.Id));
    }

    [Fact]
    public void RunningJobsOfAStoppedWorkerGoBackToTheQueue()
    {
        var (db, datasetId) = Setup();
        using var _ = db;
        var jobs = new JobRepository(db.Database);
        long id = jobs.Enqueue(datasetId, JobKinds.TrakRegion, "{}");
        jobs.ClaimNext("crashed");
        Assert.Equal(0, jobs.RequeueRunning("other"));
        Assert.Equal(1, jobs.RequeueRunning("crashed"));
        Assert.Equal(JobStatus.Queued, jobs.Get(id)!.Status);
        Assert.Equal(id, jobs.ClaimNext("new")!.Id);
    }
}

public class UploadTests
{
    [Fact]
    public void UploadsGetNegativeCocoIdsAndStayOutOfTheSplits()
    {
        using var db = new TempDatabase();
        var datasets = new DatasetRepository(db.Database);
        long datasetId = datasets.Import(TempDatabase.SampleImport());
        long first = datasets.AddUpload(datasetId, "a.png", 30, 20);
        long second = datasets.AddUpload(datasetId, "b.png", 10, 10);
        Assert.Equal((-1L, Splits.Upload, 30, 20), (datasets.GetImage(first)!.CocoId, datasets.GetImage(first)!.Split, datasets.GetImage(first)!.Width, datasets.GetImage(first)!.Height));
        Assert.Equal(-2L, datasets.GetImage(second)!.CocoId);
        Assert.Equal(4, datasets.CountImages(datasetId, Splits.Train));
        Assert.Equal(2, datasets.CountImages(datasetId, Splits.Val));
        Assert.Throws<KeyNotFoundException>(() => datasets.AddUpload(999, "c.png", 1, 1));
    }
}
