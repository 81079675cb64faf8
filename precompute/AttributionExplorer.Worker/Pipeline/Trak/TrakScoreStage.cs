using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
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
/// over checkpoints is written, summarized (top-k, overall influence) and the run completes.</summary>
public static class TrakScoreStage
{
    public static RunOutcome<TrakScoreResult> Run(PipelineContext context, DatasetInfo dataset, ITargetKind kind, TrakScoreParameters parameters,
        IReadOnlyList<(CheckpointRecord Checkpoint, RunRecord Finalize)> members, InMemorySegmentationSource train, InMemorySegmentationSource val)
    {
        return context.Runs.Execute(dataset.Id, dataset.Version, parameters, members.Select(m => m.Finalize.Id).ToList(), scope =>
        {
            var clock = Stopwatch.StartNew();
            using var plan = TargetPlanner.Plan(val, context.Datasets.GetCategories(dataset.Id), id => context.Datasets.GetImage(id)!,
                context.Datasets.GetAnnotations, [kind], imageId => members.Select(m => context.Checkpoints.GetPrediction(m.Checkpoint.Id, imageId)?.Labels
                    ?? throw new InvalidOperationException($"checkpoint {m.Checkpoint.Id} has no stored prediction of held-out image {imageId}; retrain it")).ToList());
            if (plan.Targets.Count == 0) throw new InvalidOperationException($"no {kind.Info.Name} targets in the held-out split of '{dataset.Name}'");
            var targets = val.Select(plan.Targets.Select(t => t.ExampleIndex).ToArray());
            var seconds = new Dictionary<string, double>();
            var perCheckpoint = new List<Tensor>();
            using var outer = torch.NewDisposeScope();
            for (int m = 0; m < members.Count; m++)
            {
                var (checkpoint, finalize) = members[m];
                string unitKey = $"checkpoint{checkpoint.Id}";
                var unit = scope.Unit(unitKey, () =>
                {
                    using var inner = torch.NewDisposeScope();
                    var scoring = TrakFinalizeStage.LoadScoring(context, finalize, checkpoint.Id);
                    using var model = TrainStep.Load(context, checkpoint, context.Device);
                    var (psi, _) = StepProgress.Run($"TRAK {kind.Info.Name} targets, checkpoint {m + 1}/{members.Count}", targets.Count,
                        report => TrakFeatures.Compute(model, targets, t => plan.Targets[t].Output, parameters.Projection.Settings(parameters.Lambda, context.GradientMethod), done => report(done, null)));
                    var scores = TrakScorer.Score(psi, scoring.to(psi.device)).cpu();
                    var artifact = context.Artifacts.Write(unitKey, Path.Combine("trak", dataset.Name, $"run{scope.RunId}-{unitKey}.scores.bin"),
                        temporary => ScoringMatrixFile.Save(temporary, scores));
                    scope.AddArtifact(artifact);
                    return new ScoreUnit(artifact.Sha256);
                });
                var stored = context.Ledger.Artifacts(scope.RunId).Single(a => a.Name == unitKey);
                perCheckpoint.Add(ScoringMatrixFile.Load(context.Artifacts.Verified(stored, "rerun `precompute trak`"), targets.Count, train.Count, unit.Sha256));
            }
            seconds["score"] = clock.Elapsed.TotalSeconds;
            var mean = torch.stack(perCheckpoint).mean([0]);
            var flat = mean.data<float>().ToArray();
            var rows = plan.Targets.Select((p, t) => (p.Target, flat.AsSpan(t * train.Count, train.Count).ToArray())).ToList();
            if (rows.FirstOrDefault(r => r.Item2.Any(s => !float.IsFinite(s))) is { Target: not null } bad)
                throw new InvalidOperationException($"TRAK produced non-finite scores for {bad.Target}");

            context.RankingRuns.Begin(scope.RunId, dataset.Id, AttributionMethods.Trak, kind.Info.Name, train.ImageIds);
            context.Scores.WriteScores(scope.RunId, rows, parameters.Dtype);
            if (kind.Info.Name == TargetKinds.Image)
                context.ScoringMatrices.Save(members.Select((member, m) => TrakFinalizeStage.ScoringRecord(context, member.Finalize, scope.RunId, m, member.Checkpoint.Id)).ToList());
            context.Scores.Summarize(scope.RunId, parameters.TopK);
            seconds["total"] = clock.Elapsed.TotalSeconds;
            return new TrakScoreResult(rows.Count, plan.Targets.Count, plan.SkippedObjects, seconds);
        });
    }

    internal sealed record ScoreUnit(string Sha256);
}
