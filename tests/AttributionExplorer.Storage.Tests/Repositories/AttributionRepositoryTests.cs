using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage.Tests.Repositories;

public class AttributionRepositoryTests
{
    private static (TempDatabase Db, long DatasetId, long[] Train, long[] Val) Setup()
    {
        var db = new TempDatabase();
        var datasets = new DatasetRepository(db.Database);
        long id = datasets.Import(TempDatabase.SampleImport());
        return (db, id, datasets.GetImages(id, Splits.Train, 0, 10).Select(i => i.Id).ToArray(),
            datasets.GetImages(id, Splits.Val, 0, 10).Select(i => i.Id).ToArray());
    }

    [Fact]
    public void IncompleteAndFailedRunsAreInvisible()
    {
        var (db, datasetId, train, val) = Setup();
        using var _ = db;
        var repo = new AttributionRepository(db.Database);
        long running = repo.BeginRun(datasetId, "trak", "image", "{}", "h1", train);
        repo.WriteScores(running, [(new NewTarget(val[0], "image", null, null), [1f, 2f, 3f, 4f])], ScoreDtype.Float32);
        long failed = repo.BeginRun(datasetId, "trak", "image", "{}", "h2", train);
        repo.FailRun(failed, "boom");
        Assert.Null(repo.GetLatestCompleteRun(datasetId, "trak", "image"));
        Assert.Null(repo.FindCompleteRun(datasetId, "h1"));
        Assert.Empty(repo.ListCompleteRuns(datasetId));
    }

    [Fact]
    public void CompletedRunHasTopKBothSignsAndOverallMeans()
    {
        var (db, datasetId, train, val) = Setup();
        using var _ = db;
        var repo = new AttributionRepository(db.Database);
        long run = repo.BeginRun(datasetId, "trak", "image", "{}", "h", train);
        repo.WriteScores(run, [
            (new NewTarget(val[0], "image", null, null), [0.5f, -2f, 1f, 0f]),
            (new NewTarget(val[1], "image", null, null), [0.5f, 1f, -3f, 0f]),
        ], ScoreDtype.Float16);
        repo.CompleteRun(run, "{\"score\":1}", topK: 2);

        Assert.Equal(run, repo.GetLatestCompleteRun(datasetId, "trak", "image")!.Id);
        var target = Assert.Single(repo.GetTargets(run, val[0]));
        var positive = repo.GetTopInfluencers(target.Id, positive: true, 10);
        Assert.Equal(new[] { train[2], train[0] }, positive.Select(p => p.TrainImageId));
        Assert.Equal(new[] { 1, 2 }, positive.Select(p => p.Rank));
        var negative = repo.GetTopInfluencers(target.Id, positive: false, 10);
        Assert.Equal(new[] { train[1], train[3] }, negative.Select(p => p.TrainImageId));
        Assert.Equal(-2f, negative[0].Score);

        // means: [0.5, -0.5, -1, 0] → most negative first: train[2], train[1], train[3], train[0]
        var overall = repo.GetOverallInfluence(run, 0, 10);
        Assert.Equal(new[] { train[2], train[1], train[3], train[0] }, overall.Select(o => o.TrainImageId));
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f }, overall.Select(o => o.MeanScore));
        Assert.Equal(4, repo.CountOverallInfluence(run));
        Assert.Equal(new OverallInfluence(train[1], -0.5f, 2), repo.GetOverallInfluenceOf(run, train[1]));
        Assert.Null(repo.GetOverallInfluenceOf(run, val[0]));
        Assert.Equal(new[] { 0.5f, -2f, 1f, 0f }, repo.GetScores(target.Id));
        Assert.Equal(train, repo.GetTrainOrder(run));
    }

    [Fact]
    public void ScoresOfTheWrongLengthAreRejectedAndNothingIsWritten()
    {
        var (db, datasetId, train, val) = Setup();
        using var _ = db;
        var repo = new AttributionRepository(db.Database);
        long run = repo.BeginRun(datasetId, "trak", "image", "{}", "h", train);
        Assert.Throws<ArgumentException>(() => repo.WriteScores(run, [
            (new NewTarget(val[0], "image", null, null), [1f, 2f, 3f, 4f]),
            (new NewTarget(val[1], "image", null, null), [1f])], ScoreDtype.Float32));
        Assert.Empty(repo.GetTargets(run, val[0]));
    }

    [Fact]
    public void PredictionsRoundTripThroughCompression()
    {
        var (db, datasetId, _, val) = Setup();
        using var __ = db;
        var checkpoints = new CheckpointRepository(db.Database);
        long ckpt = checkpoints.Add(new CheckpointRecord(0, datasetId, 1, "/m.bin", 0.5, "{\"lr\":1}", 2.5, DateTime.UtcNow));
        Assert.Equal(ckpt, checkpoints.Find(datasetId, 1, "{\"lr\":1}")!.Id);
        Assert.Null(checkpoints.Find(datasetId, 2, "{\"lr\":1}"));
        var labels = Enumerable.Range(0, 64).Select(i => (byte)(i % 3)).ToArray();
        checkpoints.SavePredictions([new PredictionRecord(ckpt, val[0], 8, 8, labels)]);
        Assert.Equal(labels, checkpoints.GetPrediction(ckpt, val[0])!.Labels);
        Assert.Null(checkpoints.GetPrediction(ckpt, val[1]));
    }
}
