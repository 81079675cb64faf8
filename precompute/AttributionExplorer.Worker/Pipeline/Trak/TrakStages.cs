using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Trak.Targets;

namespace AttributionExplorer.Worker.Pipeline.Trak;

/// <summary>The ledger identities of one TRAK computation: featurize runs per checkpoint per range of training images,
/// a finalize run per checkpoint (upstream: its featurize runs) and a score run per target kind (upstream: the finalize
/// runs). The single-process step and the sharded merge both start here, so they find the same runs.</summary>
public sealed record TrakStages(TrakProjection Projection, int TrainCount, IReadOnlyList<(int Start, int Count)> Ranges,
    IReadOnlyDictionary<long, List<RunRecord>> Featurize, IReadOnlyDictionary<long, RunRecord> Finalize,
    IReadOnlyDictionary<string, TrakScoreParameters> ScoreParameters, IReadOnlyDictionary<string, RunRecord> ScoreRuns)
{
    /// <summary>Finds (or creates queued) every stage's run; computes nothing.</summary>
    public static TrakStages Ensure(PipelineContext context, DatasetInfo dataset, TrakOptions trak, IReadOnlyList<CheckpointRecord> checkpoints,
        IReadOnlyList<ITargetKind> kinds)
    {
        var projection = TrakProjection.Of(trak);
        int trainCount = context.Datasets.CountImages(dataset.Id, Splits.Train);
        var ranges = TrakStep.Ranges(trainCount, trak.FeaturizeRangeSize);
        var featurize = checkpoints.ToDictionary(c => c.Id, c => ranges.Select(r =>
            context.Runs.Ensure(dataset.Id, dataset.Version, TrakFeaturizeParameters.For(c, projection, r.Start, r.Count, trainCount), [c.RunId])).ToList());
        var finalize = checkpoints.ToDictionary(c => c.Id, c =>
            context.Runs.Ensure(dataset.Id, dataset.Version, TrakFinalizeParameters.For(c, projection, trak.Lambda), featurize[c.Id].Select(r => r.Id).ToList()));
        var scoreParameters = kinds.ToDictionary(k => k.Info.Name, k => new TrakScoreParameters(k.Info.Name, TrakScoreParameters.OutputOf(k), projection,
            trak.Lambda, trak.ScoreDtype, trak.TopK, "mean over checkpoints", checkpoints.Select(c => c.RunId).ToArray(), TrakScoreParameters.EpochsOf(checkpoints)));
        var scoreRuns = kinds.ToDictionary(k => k.Info.Name, k =>
            context.Runs.Ensure(dataset.Id, dataset.Version, scoreParameters[k.Info.Name], checkpoints.Select(c => finalize[c.Id].Id).ToList()));
        return new(projection, trainCount, ranges, featurize, finalize, scoreParameters, scoreRuns);
    }
}
