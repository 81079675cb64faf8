using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Stability;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.OnDemand;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Worker.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline.Trak;

/// <summary>Stage 3: the TRAK ranking run of one target kind. Per checkpoint (one unit each, so an interrupted run
/// resumes): target gradients → scores against that checkpoint's scoring matrix, kept as an artifact; then the mean
/// over checkpoints is written with each target's split-half reliability (two halves of the ensemble by training run),
/// the run's reliability and its kernels' figures are recorded, the scores summarized (top-k, overall influence) and
/// the run completes.</summary>
public static class TrakScoreStage
{
    public static RunOutcome<TrakScoreResult> Run(PipelineContext context, DatasetInfo dataset, ITargetKind kind, TrakScoreParameters parameters,
        IReadOnlyList<(CheckpointRecord Checkpoint, RunRecord Finalize)> members, InMemorySegmentationSource train, InMemorySegmentationSource val) =>
        Run(context, dataset, kind, parameters, members, train.ImageIds, val, (plan, targets, m) =>
        {
            var (checkpoint, finalize) = members[m];
            var scoring = TrakFinalizeStage.LoadScoring(context, finalize, checkpoint.Id);
            using var model = TrainStep.Load(context, checkpoint, context.Device);
            var (psi, _) = StepProgress.Run($"TRAK {kind.Info.Name} targets, checkpoint {m + 1}/{members.Count}", targets.Count,
                report => TrakFeatures.Compute(model, targets, t => plan.Targets[t].Output, parameters.Projection.Settings(parameters.Lambda, context.GradientMethod), done => report(done, null)));
            return TrakScorer.Score(psi, scoring.to(psi.device)).cpu();
        });

    /// <summary>The scores [targets, n] of every planned target under checkpoint <c>member</c> (float32, the run's target
    /// and training-image order). Tensors made inside belong to the caller's dispose scope.</summary>
    public delegate Tensor CheckpointScoresOf(TargetPlan plan, InMemorySegmentationSource targets, int member);

    /// <summary>The score run with the per-checkpoint scores coming from <paramref name="scoresOf"/>: computed here
    /// (single process) or read from the shards of a sharded computation (<see cref="Sharded.ShardMerge"/>).</summary>
    public static RunOutcome<TrakScoreResult> Run(PipelineContext context, DatasetInfo dataset, ITargetKind kind, TrakScoreParameters parameters,
        IReadOnlyList<(CheckpointRecord Checkpoint, RunRecord Finalize)> members, IReadOnlyList<long> trainImageIds, InMemorySegmentationSource val,
        CheckpointScoresOf scoresOf)
    {
        int trainCount = trainImageIds.Count;
        return context.Runs.Execute(dataset.Id, dataset.Version, parameters, members.Select(m => m.Finalize.Id).ToList(), scope =>
        {
            var clock = Stopwatch.StartNew();
            using var plan = Plan(context, dataset, kind, members.Select(m => m.Checkpoint).ToList(), val);
            var targets = val.Select(plan.Targets.Select(t => t.ExampleIndex).ToArray());
            var seconds = new Dictionary<string, double>();
            var perCheckpoint = new List<Tensor>();
            using var outer = torch.NewDisposeScope();
            for (int m = 0; m < members.Count; m++)
            {
                var checkpoint = members[m].Checkpoint;
                string unitKey = $"checkpoint{checkpoint.Id}";
                int member = m;
                var unit = scope.Unit(unitKey, () =>
                {
                    using var inner = torch.NewDisposeScope();
                    var scores = scoresOf(plan, targets, member);
                    if (scores.shape[0] != targets.Count || scores.shape[1] != trainCount)
                        throw new InvalidDataException($"scores of checkpoint {checkpoint.Id} are [{string.Join(", ", scores.shape)}], expected [{targets.Count}, {trainCount}]");
                    var artifact = context.Artifacts.Write(unitKey, Path.Combine("trak", dataset.Name, $"run{scope.RunId}-{unitKey}.scores.bin"),
                        temporary => ScoringMatrixFile.Save(temporary, scores));
                    scope.AddArtifact(artifact);
                    return new ScoreUnit(artifact.Sha256);
                });
                var stored = context.Ledger.Artifacts(scope.RunId).Single(a => a.Name == unitKey);
                perCheckpoint.Add(ScoringMatrixFile.Load(context.Artifacts.Verified(stored, "rerun `precompute trak`"), targets.Count, trainCount, unit.Sha256));
            }
            seconds["score"] = clock.Elapsed.TotalSeconds;
            var mean = torch.stack(perCheckpoint).mean([0]);
            var flat = mean.data<float>().ToArray();
            int firstBad = Array.FindIndex(flat, s => !float.IsFinite(s));
            if (firstBad >= 0) throw new InvalidOperationException($"TRAK produced non-finite scores for {plan.Targets[firstBad / trainCount].Target}");
            var (runReliability, targetReliability) = Reliabilities(members.Select(m => m.Checkpoint).ToList(), perCheckpoint, targets.Count, trainCount);
            var rows = plan.Targets.Select((p, t) => (p.Target with { SplitHalf = targetReliability[t].SplitHalf }, flat.AsSpan(t * trainCount, trainCount).ToArray())).ToList();

            context.RankingRuns.Begin(scope.RunId, dataset.Id, AttributionMethods.Trak, kind.Info.Name, trainImageIds);
            context.Scores.WriteScores(scope.RunId, rows, parameters.Dtype);
            context.RankingRuns.RecordReliability(scope.RunId, runReliability);
            context.RankingRuns.RecordKernels(scope.RunId, members.Select(m => RunExecutor.ReadResult<TrakFinalizeResult>(m.Finalize).Figures(m.Checkpoint.Id)).ToList());
            if (kind.Info.Name == TargetKinds.Image)
                context.ScoringMatrices.Save(members.Select((member, m) => TrakFinalizeStage.ScoringRecord(context, member.Finalize, scope.RunId, m, member.Checkpoint.Id)).ToList());
            context.Scores.Summarize(scope.RunId, parameters.TopK);
            seconds["total"] = clock.Elapsed.TotalSeconds;
            return new TrakScoreResult(rows.Count, plan.Targets.Count, plan.SkippedObjects, seconds);
        });
    }

    /// <summary>The targets of one kind on the held-out split, planned from the database (the class kind uses the
    /// checkpoints' stored predictions), in the order the run stores them.</summary>
    public static TargetPlan Plan(PipelineContext context, DatasetInfo dataset, ITargetKind kind, IReadOnlyList<CheckpointRecord> checkpoints,
        InMemorySegmentationSource val)
    {
        var plan = TargetPlanner.Plan(val, context.Datasets.GetCategories(dataset.Id), id => context.Datasets.GetImage(id)!,
            context.Datasets.GetAnnotations, [kind], imageId => checkpoints.Select(c => context.Checkpoints.GetPrediction(c.Id, imageId)?.Labels
                ?? throw new InvalidOperationException($"checkpoint {c.Id} has no stored prediction of held-out image {imageId}; retrain it")).ToList());
        if (plan.Targets.Count == 0)
        {
            plan.Dispose();
            throw new InvalidOperationException($"no {kind.Info.Name} targets in the held-out split of '{dataset.Name}'");
        }
        return plan;
    }

    /// <summary>Split-half reliability from the per-checkpoint scores [targets, n] already in memory: per target, the
    /// Spearman of half A's and half B's mean scores; for the run, that of the two halves' overall influence (mean over
    /// targets per training image), the ordering the run's train ranking holds.</summary>
    public static (Reliability Run, IReadOnlyList<Reliability> Targets) Reliabilities(IReadOnlyList<CheckpointRecord> checkpoints,
        IReadOnlyList<Tensor> perCheckpoint, int targetCount, int trainCount)
    {
        if (SplitHalf.Split(checkpoints, out string reason) is not { } halves)
            return (Reliability.None(reason), Enumerable.Repeat(Reliability.None(reason), targetCount).ToList());
        float[] Mean(IReadOnlyList<int> half)
        {
            using var scope = torch.NewDisposeScope();
            return torch.stack(half.Select(i => perCheckpoint[i]).ToList()).mean([0]).data<float>().ToArray();
        }
        var a = Mean(halves.A);
        var b = Mean(halves.B);
        var run = SplitHalf.Compare(SplitHalf.ColumnMeans(a, targetCount, trainCount), SplitHalf.ColumnMeans(b, targetCount, trainCount), halves.Description);
        return (run, SplitHalf.PerRow(a, b, targetCount, trainCount, halves.Description));
    }

    /// <summary>The per-checkpoint scores [targets, n] (row-major, the run's target and train order) of a complete score
    /// run, read back from its artifacts and verified against their SHA-256.</summary>
    public static float[] CheckpointScores(PipelineContext context, long runId, long checkpointId, int targets, int trainCount)
    {
        var artifact = context.Ledger.Artifacts(runId).SingleOrDefault(a => a.Name == $"checkpoint{checkpointId}")
            ?? throw new InvalidOperationException($"TRAK run {runId} has no scores of checkpoint {checkpointId}; rerun `precompute rank trak`");
        using var scores = ScoringMatrixFile.Load(context.Artifacts.Verified(artifact, "rerun `precompute rank trak`"), targets, trainCount, artifact.Sha256);
        return scores.data<float>().ToArray();
    }

    internal sealed record ScoreUnit(string Sha256);
}
