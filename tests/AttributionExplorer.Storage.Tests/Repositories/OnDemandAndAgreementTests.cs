using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage.Tests.Repositories;

public class OnDemandAndAgreementTests
{
    private static (TempDatabase Db, long DatasetId, long[] Train, long[] Val, AttributionRepository Repo, long BaseRun) Setup()
    {
        var db = new TempDatabase();
        var datasets = new DatasetRepository(db.Database);
        long id = datasets.Import(TempDatabase.SampleImport());
        var train = datasets.GetImages(id, Splits.Train, 0, 10).Select(i => i.Id).ToArray();
        var val = datasets.GetImages(id, Splits.Val, 0, 10).Select(i => i.Id).ToArray();
        var repo = new AttributionRepository(db.Database);
        long run = repo.BeginRun(id, AttributionMethods.Trak, TargetKinds.Image, "{\"k\":8}", "hash", train);
        repo.WriteScores(run, [(new NewTarget(val[0], TargetKinds.Image, null, null), [1f, 2f, 3f, 4f])], ScoreDtype.Float32);
        repo.CompleteRun(run, "{}", 2);
        return (db, id, train, val, repo, run);
    }

    [Fact]
    public void OnDemandTargetsGoToOneRunWithTheBaseParameters()
    {
        var (db, datasetId, train, val, repo, baseRun) = Setup();
        using var _ = db;
        long run = repo.EnsureOnDemandRun(baseRun);
        Assert.Equal(run, repo.EnsureOnDemandRun(baseRun));
        var onDemand = repo.GetLatestCompleteRun(datasetId, AttributionMethods.Trak, TargetKinds.Region)!;
        Assert.Equal((run, "{\"k\":8}", 4), (onDemand.Id, onDemand.ParametersJson, onDemand.TrainCount));
        Assert.Equal(train, repo.GetTrainOrder(run));
        Assert.Equal(baseRun, repo.FindCompleteRun(datasetId, "hash")!.Id);

        long target = repo.AppendTarget(run, new NewTarget(val[1], TargetKinds.Region, null, null), [0f, -5f, 2f, 1f], ScoreDtype.Float32, 2);
        Assert.Equal(new[] { train[2], train[3] }, repo.GetTopInfluencers(target, true, 5).Select(i => i.TrainImageId));
        Assert.Equal(new[] { train[1], train[0] }, repo.GetTopInfluencers(target, false, 5).Select(i => i.TrainImageId));
        Assert.Equal(TargetKinds.Region, repo.GetTarget(target)!.Kind);
        Assert.Throws<ArgumentException>(() => repo.AppendTarget(run, new NewTarget(val[1], TargetKinds.Region, null, null), [1f], ScoreDtype.Float32, 2));
    }

    [Fact]
    public void NaNMarksNonCandidatesThatNeverRankAndHaveNoOverallInfluence()
    {
        var (db, datasetId, train, val, repo, _) = Setup();
        using var __ = db;
        long run = repo.BeginRun(datasetId, AttributionMethods.Esvm, TargetKinds.Class, "{}", "esvm", train);
        repo.WriteScores(run, [(new NewTarget(val[0], TargetKinds.Class, 3, null), [float.NaN, 0.5f, float.NaN, -1f])], ScoreDtype.Float16);
        repo.CompleteRun(run, "{}", 10);
        var target = Assert.Single(repo.GetTargets(run, val[0]));
        Assert.Equal(new[] { train[1], train[3] }, repo.GetTopInfluencers(target.Id, true, 10).Select(i => i.TrainImageId));
        Assert.Equal(2, repo.CountOverallInfluence(run));
        Assert.Null(repo.GetOverallInfluenceOf(run, train[0]));
    }

    [Fact]
    public void AgreementAndScoringMatricesRoundTrip()
    {
        var (db, datasetId, train, val, repo, baseRun) = Setup();
        using var _ = db;
        long other = repo.BeginRun(datasetId, AttributionMethods.MocoCosine, TargetKinds.Image, "{}", "moco", train);
        repo.WriteScores(other, [(new NewTarget(val[0], TargetKinds.Image, null, null), [4f, 3f, 2f, 1f])], ScoreDtype.Float32);
        repo.CompleteRun(other, "{}", 2);
        long a = repo.GetTargets(baseRun, val[0])[0].Id, b = repo.GetTargets(other, val[0])[0].Id;
        repo.WriteAgreement([new RankAgreementRecord(a, b, 0.1, 0.5, -1, 4)]);
        Assert.Equal(new RankAgreementRecord(a, b, 0.1, 0.5, -1, 4), Assert.Single(repo.GetAgreement([a, b])));
        Assert.Empty(repo.GetAgreement([a]));

        var checkpoint = new CheckpointRepository(db.Database).Add(new CheckpointRecord(0, datasetId, 0, "c.pt", 0.5, "{}", 1, DateTime.UtcNow));
        repo.SaveScoringMatrices([new ScoringMatrixRecord(baseRun, 0, checkpoint, 8, 4, "m0.bin", "abc")]);
        Assert.Equal(new ScoringMatrixRecord(baseRun, 0, checkpoint, 8, 4, "m0.bin", "abc"), Assert.Single(repo.GetScoringMatrices(baseRun)));
    }
}

public class AppearanceAndHistogramTests
{
    [Fact]
    public void AppearancesAndHistogramWithPlantedErrors()
    {
        using var db = new TempDatabase();
        var datasets = new DatasetRepository(db.Database);
        long datasetId = datasets.Import(TempDatabase.SampleImport());
        var train = datasets.GetImages(datasetId, Splits.Train, 0, 10).Select(i => i.Id).ToArray();
        var val = datasets.GetImages(datasetId, Splits.Val, 0, 10).Select(i => i.Id).ToArray();
        var repo = new AttributionRepository(db.Database);
        long run = repo.BeginRun(datasetId, AttributionMethods.Trak, TargetKinds.Image, "{}", "h", train);
        repo.WriteScores(run, [
            (new NewTarget(val[0], TargetKinds.Image, null, null), [4f, -1f, 0f, 1f]),
            (new NewTarget(val[1], TargetKinds.Image, null, null), [0f, 1f, -2f, 3f]),
        ], ScoreDtype.Float32);
        repo.CompleteRun(run, "{}", 2);

        // train[3]: 2nd positive for val[0] (score 1), 1st positive for val[1] (score 3).
        var appearances = repo.GetAppearances(train[3], [run], 10);
        Assert.Equal(new[] { (val[1], true, 1, 3f), (val[0], true, 2, 1f) },
            appearances.Select(a => (a.Target.ImageId, a.Positive, a.Rank, a.Score)));
        Assert.Empty(repo.GetAppearances(train[3], [], 10));

        // Means: 2, 0, -1, 2 over [−1, 2] in 3 bins of width 1: −1 → bin 0; 0 → bin 1; 2, 2 → last bin.
        // The sample's planted error is COCO image 101 = train[1] (mean 0).
        var histogram = repo.GetInfluenceHistogram(run, 3);
        Assert.Equal((-1.0, 2.0), (histogram.Min, histogram.Max));
        Assert.Equal(new[] { 1, 1, 2 }, histogram.Counts);
        Assert.Equal(new[] { 0, 1, 0 }, histogram.Planted);
    }
}
