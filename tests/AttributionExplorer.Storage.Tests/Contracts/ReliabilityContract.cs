using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Core.Stability;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Split-half figures of targets and ranking runs, and the TRAK kernels a run's scores come from.</summary>
public abstract class ReliabilityContract
{
    protected abstract IStorageUnderTest CreateStorage();

    [SkippableFact]
    public void ATargetsSplitHalfIsStoredWithItAndReadBackEverywhere()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long run = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [
            (ImageTarget(d.Val[0]) with { SplitHalf = 0.81 }, [4f, 1f, 2f, 3f]),
            (ImageTarget(d.Val[1]), [1f, 2f, 3f, 4f]),
        ], ScoreDtype.Float32, topK: 2).Run.Id;

        var measured = Assert.Single(s.Scores.GetTargets(run, d.Val[0]));
        Assert.Equal(0.81, measured.SplitHalf);
        Assert.Null(Assert.Single(s.Scores.GetTargets(run, d.Val[1])).SplitHalf);
        Assert.Equal(0.81, s.Scores.GetTarget(measured.Id)!.SplitHalf);
        Assert.Equal(new double?[] { 0.81, null }, s.Scores.GetTargetsOfRun(run).Select(t => t.SplitHalf));
        Assert.Contains(s.Scores.GetAppearances(d.Train[0], [run], 10), a => a.Target.SplitHalf == 0.81);

        var onDemand = CompleteRun(s, d, "rank.trak.region", body: id => s.RankingRuns.BeginOnDemand(id, run));
        long appended = s.Scores.AppendTarget(onDemand.Id, new NewTarget(d.Val[0], TargetKinds.Region, null, null, -0.25), [1f, 2f, 3f, 4f], ScoreDtype.Float32, 2);
        Assert.Equal(-0.25, s.Scores.GetTarget(appended)!.SplitHalf);
    }

    [SkippableFact]
    public void ARunsReliabilityIsRecordedReplacedAndAbsentForRunsThatRecordedNone()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var outcome = Executor(s).Execute(d.Id, d.Version, new TestRankingParameters("confidence", "train"), [], scope =>
        {
            s.RankingRuns.Begin(scope.RunId, d.Id, "confidence", "train", d.Train);
            s.TrainRankings.Write(scope.RunId, d.Train.Select((id, i) => (id, (float)(4 - i))).ToList());
            s.RankingRuns.RecordReliability(scope.RunId, Reliability.None("one training run"));
            s.RankingRuns.RecordReliability(scope.RunId, new Reliability(0.42, "half A: seed 0; half B: seed 1"));
            return new TestRunResult(4);
        });
        Assert.Equal(new Reliability(0.42, "half A: seed 0; half B: seed 1"), s.RankingRuns.GetReliability(outcome.Run.Id));

        long other = CompleteRanking(s, d, AttributionMethods.Esvm, TargetKinds.Image, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2).Run.Id;
        Assert.Null(s.RankingRuns.GetReliability(other));
        s.RankingRuns.RecordReliability(other, Reliability.OneModel("moco embedding"));
        var none = s.RankingRuns.GetReliability(other)!;
        Assert.Null(none.SplitHalf);
        Assert.Contains("one moco embedding model", none.Detail);
    }

    [SkippableFact]
    public void KernelsAreRecordedPerCheckpointAndReplacedAsAWhole()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long run = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2).Run.Id;
        Assert.Empty(s.RankingRuns.GetKernels(run));
        var second = new KernelFigures(9, 240, 512, 1e-7, 0, 5.0, 272);
        var first = new KernelFigures(8, 240, 512, 2e-7, 1e-12, 4.0, 270);
        s.RankingRuns.RecordKernels(run, [second, first]);
        Assert.Equal(new[] { first, second }, s.RankingRuns.GetKernels(run));

        s.RankingRuns.RecordKernels(run, [first with { TrainImages = 1000, ProjectionDim = 128, EigenvaluesBelowRidge = 0 }]);
        var kernel = Assert.Single(s.RankingRuns.GetKernels(run));
        Assert.Equal((1000, 128), (kernel.TrainImages, kernel.ProjectionDim));
    }

    [SkippableFact]
    public void ARetriedRunLosesTheReliabilityAndKernelsOfItsFailedAttempt()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var parameters = new TestRankingParameters(AttributionMethods.Trak, TargetKinds.Image);
        Assert.Throws<InvalidDataException>(() => Executor(s).Execute<TestRankingParameters, TestRunResult>(d.Id, d.Version, parameters, [], scope =>
        {
            s.RankingRuns.Begin(scope.RunId, d.Id, AttributionMethods.Trak, TargetKinds.Image, d.Train);
            s.RankingRuns.RecordReliability(scope.RunId, new Reliability(0.9, "first attempt"));
            s.RankingRuns.RecordKernels(scope.RunId, [new KernelFigures(1, 4, 2, 0.1, 0.2, 1, 0)]);
            throw new InvalidDataException("disk full");
        }));
        var retry = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2);
        Assert.Equal(2, retry.Run.Attempts);
        Assert.Null(s.RankingRuns.GetReliability(retry.Run.Id));
        Assert.Empty(s.RankingRuns.GetKernels(retry.Run.Id));
    }
}
