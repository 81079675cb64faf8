using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Scores;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Ranking runs, their scores and top-k, train rankings (overall influence), agreement and scoring matrices:
/// readers see a run only once its ledger run is complete.</summary>
public abstract class RankingContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private sealed class Failure(string message) : Exception(message);

    [SkippableFact]
    public void IncompleteAndFailedRunsAreInvisible()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long running = RunningRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, "h1");
        s.Scores.WriteScores(running, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32);
        s.Scores.Summarize(running, 2);
        Assert.Throws<Failure>(() => Executor(s).Execute<TestRankingParameters, TestRunResult>(d.Id, d.Version, new TestRankingParameters(AttributionMethods.Trak, TargetKinds.Image, "h2"), [], scope =>
        {
            s.RankingRuns.Begin(scope.RunId, d.Id, AttributionMethods.Trak, TargetKinds.Image, d.Train);
            s.Scores.WriteScores(scope.RunId, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32);
            s.Scores.Summarize(scope.RunId, 2);
            throw new Failure("boom");
        }));

        Assert.Null(s.RankingRuns.GetLatestComplete(d.Id, AttributionMethods.Trak, TargetKinds.Image));
        Assert.Empty(s.RankingRuns.ListComplete(d.Id));
        Assert.Equal(RunState.Running, s.Ledger.Get(running)!.State);
        var failed = Assert.Single(s.Ledger.List(d.Id, "rank.trak", RunState.Failed));
        Assert.Equal("boom", failed.Error);
        // Get shows any run with its ledger state, so a reader can tell why nothing is visible.
        Assert.Equal(RunStatus.Running, s.RankingRuns.Get(running)!.Status);
        Assert.Equal(RunStatus.Failed, s.RankingRuns.Get(failed.Id)!.Status);
    }

    [SkippableFact]
    public void CompletedRunHasTopKBothSignsAndOverallMeans()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var (train, val) = (d.Train, d.Val);
        long run = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [
            (ImageTarget(val[0]), [0.5f, -2f, 1f, 0f]),
            (ImageTarget(val[1]), [0.5f, 1f, -3f, 0f]),
        ], ScoreDtype.Float16, topK: 2).Run.Id;

        var latest = s.RankingRuns.GetLatestComplete(d.Id, AttributionMethods.Trak, TargetKinds.Image)!;
        Assert.Equal((run, RunStatus.Complete, 4), (latest.Id, latest.Status, latest.TrainCount));
        Assert.Equal(run, Assert.Single(s.RankingRuns.ListComplete(d.Id)).Id);
        var target = Assert.Single(s.Scores.GetTargets(run, val[0]));
        var positive = s.Scores.GetInfluencers(target.Id, positive: true, 0, 10);
        Assert.Equal(new[] { train[2], train[0] }, positive.Select(p => p.TrainImageId));
        Assert.Equal(new[] { 1, 2 }, positive.Select(p => p.Rank));
        var negative = s.Scores.GetInfluencers(target.Id, positive: false, 0, 10);
        Assert.Equal(new[] { train[1], train[3] }, negative.Select(p => p.TrainImageId));
        Assert.Equal(-2f, negative[0].Score);
        Assert.Equal(new[] { train[3] }, s.Scores.GetInfluencers(target.Id, positive: false, 1, 5).Select(p => p.TrainImageId));

        // means: [0.5, -0.5, -1, 0] → most negative first: train[2], train[1], train[3], train[0]
        var overall = s.TrainRankings.Page(run, 0, 10);
        Assert.Equal(new[] { train[2], train[1], train[3], train[0] }, overall.Select(o => o.TrainImageId));
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f }, overall.Select(o => o.MeanScore));
        Assert.Equal(4, s.TrainRankings.Count(run));
        Assert.Equal(new OverallInfluence(train[1], -0.5f, 2), s.TrainRankings.Of(run, train[1]));
        Assert.Null(s.TrainRankings.Of(run, val[0]));
        Assert.Equal(new[] { 0.5f, -2f, 1f, 0f }, s.Scores.GetScores(target.Id));
        Assert.Equal(train, s.RankingRuns.GetTrainOrder(run));
        Assert.Equal(2, s.Scores.GetTargetsOfRun(run).Count);
    }

    [SkippableFact]
    public void ACompleteRankingIsReusedAndAChangedIdentityMakesANewRun()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var first = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2);
        var again = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [9f, 9f, 9f, 9f])], ScoreDtype.Float32, 2);
        Assert.True(again.Reused);
        Assert.Equal(first.Run.Id, again.Run.Id);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, s.Scores.GetScores(Assert.Single(s.Scores.GetTargetsOfRun(first.Run.Id)).Id));

        var changed = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [4f, 3f, 2f, 1f])], ScoreDtype.Float32, 2, label: "other");
        Assert.False(changed.Reused);
        Assert.Equal(changed.Run.Id, s.RankingRuns.GetLatestComplete(d.Id, AttributionMethods.Trak, TargetKinds.Image)!.Id);
        Assert.Equal(2, s.RankingRuns.ListComplete(d.Id).Count);
    }

    [SkippableFact]
    public void LatestCompletePerKindIsTheNewestCompleteRunOfEachMethodAndKind()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var other = ImportDataset(s, Import("other"));
        var oldImage = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2).Run;
        var newImage = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [4f, 3f, 2f, 1f])], ScoreDtype.Float32, 2, label: "newer").Run;
        var esvm = CompleteRanking(s, d, AttributionMethods.Esvm, TargetKinds.Image, [(ImageTarget(d.Val[0]), [1f, 0f, 0f, 0f])], ScoreDtype.Float32, 2).Run;
        CompleteRanking(s, other, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(other.Val[0]), [1f, 0f, 0f, 0f])], ScoreDtype.Float32, 2);
        // Newer runs that have not completed (still running, failed) are not what readers see.
        RunningRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, "running");
        Assert.Throws<Failure>(() => Executor(s).Execute<TestRankingParameters, TestRunResult>(d.Id, d.Version,
            new TestRankingParameters(AttributionMethods.Trak, TargetKinds.Image, "failed"), [], scope =>
            {
                s.RankingRuns.Begin(scope.RunId, d.Id, AttributionMethods.Trak, TargetKinds.Image, d.Train);
                throw new Failure("stopped");
            }));

        var latest = s.RankingRuns.LatestCompletePerKind(d.Id);

        Assert.Equal([newImage.Id, esvm.Id], latest.Select(r => r.Id).Order());
        Assert.DoesNotContain(oldImage.Id, latest.Select(r => r.Id));
        foreach (var run in latest)
            Assert.Equal(s.RankingRuns.GetLatestComplete(d.Id, run.Method, run.TargetKind)!.Id, run.Id);
        Assert.Empty(s.RankingRuns.LatestCompletePerKind(d.Id + 1000));
    }

    /// <summary>An object detector's ordering of annotations: pages follow the ranks, each row keeps its image, and a
    /// second write of the same run replaces the first.</summary>
    [SkippableFact]
    public void ObjectRankingsPageInRankOrderAndARewriteReplacesThem()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var run = Executor(s).Execute<TestRankingParameters, TestRunResult>(d.Id, d.Version, new TestRankingParameters("object-confidence", "train-objects"), [], scope =>
        {
            s.RankingRuns.Begin(scope.RunId, d.Id, "object-confidence", "train-objects", d.Train);
            s.TrainRankings.WriteObjects(scope.RunId, [(901, d.Train[1], 0.1f), (902, d.Train[0], 0.2f), (903, d.Train[1], 0.3f)]);
            s.TrainRankings.WriteObjects(scope.RunId, [(903, d.Train[1], 0.05f), (901, d.Train[1], 0.1f), (902, d.Train[0], 0.2f), (904, d.Train[2], 0.9f)]);
            return new TestRunResult(4);
        }).Run;

        Assert.Equal(4, s.TrainRankings.CountObjects(run.Id));
        Assert.Equal([new ObjectSuspicion(901, d.Train[1], 0.1f, 2), new ObjectSuspicion(902, d.Train[0], 0.2f, 3)], s.TrainRankings.PageObjects(run.Id, 1, 2));
        Assert.Equal(903, s.TrainRankings.PageObjects(run.Id, 0, 1).Single().AnnotationId);
        Assert.Empty(s.TrainRankings.PageObjects(run.Id, 4, 10));
        Assert.Equal(0, s.TrainRankings.CountObjects(run.Id + 1000));
    }

    [SkippableFact]
    public void ARetriedRunStartsItsRowsAfresh()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var parameters = new TestRankingParameters(AttributionMethods.Trak, TargetKinds.Image);
        Assert.Throws<InvalidDataException>(() => Executor(s).Execute<TestRankingParameters, TestRunResult>(d.Id, d.Version, parameters, [], scope =>
        {
            s.RankingRuns.Begin(scope.RunId, d.Id, AttributionMethods.Trak, TargetKinds.Image, d.Train);
            s.Scores.WriteScores(scope.RunId, [(ImageTarget(d.Val[0]), [1f, 1f, 1f, 1f])], ScoreDtype.Float32);
            throw new InvalidDataException("disk full");
        }));
        var retry = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[1]), [2f, 2f, 2f, 2f])], ScoreDtype.Float32, 2);
        Assert.False(retry.Reused);
        Assert.Equal(2, retry.Run.Attempts);
        var target = Assert.Single(s.Scores.GetTargetsOfRun(retry.Run.Id));
        Assert.Equal(d.Val[1], target.ImageId);
    }

    [SkippableFact]
    public void ScoresOfTheWrongLengthAreRejectedAndNothingIsWritten()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long run = RunningRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, "h");
        Assert.Throws<ArgumentException>(() => s.Scores.WriteScores(run, [
            (ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f]),
            (ImageTarget(d.Val[1]), [1f])], ScoreDtype.Float32));
        Assert.Empty(s.Scores.GetTargets(run, d.Val[0]));
        Assert.Throws<KeyNotFoundException>(() => s.Scores.WriteScores(run + 1000, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32));
    }

    [SkippableFact]
    public void ARunWithoutScoredTargetsCannotBeSummarized()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long run = RunningRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, "h");
        Assert.Throws<InvalidOperationException>(() => s.Scores.Summarize(run, 2));
    }

    [SkippableFact]
    public void OnDemandTargetsGoToOneRunWithTheBaseTrainOrder()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var (train, val) = (d.Train, d.Val);
        long baseRun = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2).Run.Id;
        long EnsureOnDemand() => Executor(s).Execute(d.Id, d.Version, new TestRunParameters("rank.trak.region"), [baseRun], scope =>
        {
            s.RankingRuns.BeginOnDemand(scope.RunId, baseRun);
            s.RankingRuns.BeginOnDemand(scope.RunId, baseRun); // recorded already: a no-op
            return new TestRunResult(0);
        }).Run.Id;

        long run = EnsureOnDemand();
        Assert.Equal(run, EnsureOnDemand());
        var onDemand = s.RankingRuns.GetLatestComplete(d.Id, AttributionMethods.Trak, TargetKinds.Region)!;
        Assert.Equal((run, AttributionMethods.Trak, 4), (onDemand.Id, onDemand.Method, onDemand.TrainCount));
        Assert.Equal(train, s.RankingRuns.GetTrainOrder(run));
        Assert.Equal(baseRun, s.RankingRuns.GetLatestComplete(d.Id, AttributionMethods.Trak, TargetKinds.Image)!.Id);

        long target = s.Scores.AppendTarget(run, new NewTarget(val[1], TargetKinds.Region, null, null), [0f, -5f, 2f, 1f], ScoreDtype.Float32, 2);
        Assert.Equal(new[] { train[2], train[3] }, s.Scores.GetInfluencers(target, true, 0, 5).Select(i => i.TrainImageId));
        Assert.Equal(new[] { train[1], train[0] }, s.Scores.GetInfluencers(target, false, 0, 5).Select(i => i.TrainImageId));
        Assert.Equal(TargetKinds.Region, s.Scores.GetTarget(target)!.Kind);
        Assert.Throws<ArgumentException>(() => s.Scores.AppendTarget(run, new NewTarget(val[1], TargetKinds.Region, null, null), [1f], ScoreDtype.Float32, 2));
        Assert.Single(s.Scores.GetTargetsOfRun(run));
    }

    [SkippableFact]
    public void OnDemandOfAMissingBaseRunIsAnError()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var run = Executor(s).Ensure(d.Id, d.Version, new TestRunParameters("rank.trak.region"), []);
        Assert.Throws<KeyNotFoundException>(() => s.RankingRuns.BeginOnDemand(run.Id, 424242));
    }

    [SkippableFact]
    public void NaNMarksNonCandidatesThatNeverRankAndHaveNoOverallInfluence()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var (train, val) = (d.Train, d.Val);
        long run = CompleteRanking(s, d, AttributionMethods.Esvm, TargetKinds.Class,
            [(new NewTarget(val[0], TargetKinds.Class, 3, null), [float.NaN, 0.5f, float.NaN, -1f])], ScoreDtype.Float16, 10).Run.Id;
        var target = Assert.Single(s.Scores.GetTargets(run, val[0]));
        Assert.Equal((TargetKinds.Class, (int?)3), (target.Kind, target.CategoryCocoId));
        Assert.Equal(new[] { train[1], train[3] }, s.Scores.GetInfluencers(target.Id, true, 0, 10).Select(i => i.TrainImageId));
        Assert.Equal(2, s.TrainRankings.Count(run));
        Assert.Null(s.TrainRankings.Of(run, train[0]));
    }

    [SkippableFact]
    public void AgreementAndScoringMatricesRoundTrip()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long baseRun = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2).Run.Id;
        long other = CompleteRanking(s, d, AttributionMethods.MocoCosine, TargetKinds.Image, [(ImageTarget(d.Val[0]), [4f, 3f, 2f, 1f])], ScoreDtype.Float32, 2).Run.Id;
        long a = s.Scores.GetTargets(baseRun, d.Val[0])[0].Id, b = s.Scores.GetTargets(other, d.Val[0])[0].Id;
        s.Agreement.Write([new RankAgreementRecord(a, b, 0.1, 0.5, -1, 4)]);
        Assert.Equal(new RankAgreementRecord(a, b, 0.1, 0.5, -1, 4), Assert.Single(s.Agreement.Get([a, b])));
        Assert.Empty(s.Agreement.Get([a]));
        Assert.Empty(s.Agreement.Get([]));
        s.Agreement.Write([new RankAgreementRecord(a, b, 0.2, 0.6, null, 4)]);
        Assert.Equal(new RankAgreementRecord(a, b, 0.2, 0.6, null, 4), Assert.Single(s.Agreement.Get([a, b])));
        // One batch whose rows bind a null and then a number to the same (prepared) parameter.
        s.Agreement.Write([new RankAgreementRecord(a, b, 0.3, 0.7, null, 5), new RankAgreementRecord(b, a, 0.4, 0.8, 0.25, 6)]);
        Assert.Equal([new RankAgreementRecord(a, b, 0.3, 0.7, null, 5), new RankAgreementRecord(b, a, 0.4, 0.8, 0.25, 6)],
            s.Agreement.Get([a, b]).OrderBy(r => r.TargetA == a ? 0 : 1));

        long trainRun = CompleteRun(s, d, "train").Id;
        long checkpoint = s.Checkpoints.Add(new CheckpointRecord(0, d.Id, 0, Path.Combine(s.DataRoot, "c.pt"), 0.5, "{}", 1, DateTime.UtcNow, trainRun));
        string matrix = Path.Combine(s.DataRoot, "trak", "m0.bin");
        s.ScoringMatrices.Save([new ScoringMatrixRecord(baseRun, 0, checkpoint, 8, 4, matrix, "abc")]);
        Assert.Equal(new ScoringMatrixRecord(baseRun, 0, checkpoint, 8, 4, matrix, "abc"), Assert.Single(s.ScoringMatrices.Get(baseRun)));
        Assert.Empty(s.ScoringMatrices.Get(other));
    }

    [SkippableFact]
    public void AppearancesAndHistogramWithPlantedErrors()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var (train, val) = (d.Train, d.Val);
        long run = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [
            (ImageTarget(val[0]), [4f, -1f, 0f, 1f]),
            (ImageTarget(val[1]), [0f, 1f, -2f, 3f]),
        ], ScoreDtype.Float32, 2).Run.Id;

        // train[3]: 2nd positive for val[0] (score 1), 1st positive for val[1] (score 3).
        var appearances = s.Scores.GetAppearances(train[3], [run], 10);
        Assert.Equal(new[] { (val[1], true, 1, 3f), (val[0], true, 2, 1f) },
            appearances.Select(a => (a.Target.ImageId, a.Positive, a.Rank, a.Score)));
        Assert.Empty(s.Scores.GetAppearances(train[3], [], 10));

        // Means: 2, 0, -1, 2 over [−1, 2] in 3 bins of width 1: −1 → bin 0; 0 → bin 1; 2, 2 → last bin.
        // The sample's planted error is COCO image 101 = train[1] (mean 0).
        var histogram = s.TrainRankings.Histogram(run, 3);
        Assert.Equal((-1.0, 2.0), (histogram.Min, histogram.Max));
        Assert.Equal(new[] { 1, 1, 2 }, histogram.Counts);
        Assert.Equal(new[] { 0, 1, 0 }, histogram.Planted);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.TrainRankings.Histogram(run, 0));
    }

    [SkippableFact]
    public void ADetectorOrderingIsWrittenMostSuspectFirstAndReplacesAnEarlierOne()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var train = d.Train;
        long run = Executor(s).Execute(d.Id, d.Version, new TestRankingParameters("confidence", "train"), [], scope =>
        {
            s.RankingRuns.Begin(scope.RunId, d.Id, "confidence", "train", train);
            s.TrainRankings.Write(scope.RunId, [(train[0], 0.1f), (train[1], 0.2f)]);
            s.TrainRankings.Write(scope.RunId, [(train[3], 0.9f), (train[1], 0.5f), (train[2], 0.4f), (train[0], -1f)]);
            return new TestRunResult(4);
        }).Run.Id;

        Assert.Equal(4, s.TrainRankings.Count(run));
        Assert.Equal(new[] { train[3], train[1], train[2], train[0] }, s.TrainRankings.Page(run, 0, 10).Select(o => o.TrainImageId));
        Assert.Equal(new[] { train[2] }, s.TrainRankings.Page(run, 2, 1).Select(o => o.TrainImageId));
        Assert.Equal(new OverallInfluence(train[0], -1f, 4), s.TrainRankings.Of(run, train[0]));
        Assert.Equal("train", s.RankingRuns.GetLatestComplete(d.Id, "confidence", "train")!.TargetKind);
        var empty = s.TrainRankings.Histogram(run + 1000, 3);
        Assert.Empty(empty.Counts);
    }
}
