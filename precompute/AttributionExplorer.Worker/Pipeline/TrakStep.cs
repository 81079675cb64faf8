using System.Diagnostics;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.OnDemand;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Worker.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>TRAK for every held-out image and every target kind (full image, each class present, each object), ensembled
/// over the checkpoints. Train features and the kernel are computed once per checkpoint and shared by all kinds; each
/// kind is written as its own run, visible only when complete. The per-checkpoint scoring matrices are stored with the
/// image run for on-demand targets. Kinds whose identical run is complete are not recomputed.</summary>
public static class TrakStep
{
    public static readonly string[] Kinds = [TargetKinds.Image, TargetKinds.Class, TargetKinds.Object];

    public static IReadOnlyDictionary<string, long> Run(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrakOptions trak,
        IReadOnlyList<CheckpointRecord> checkpoints)
    {
        if (checkpoints.Count == 0) throw new InvalidOperationException($"dataset '{dataset.Name}' has no checkpoints; run train first");
        var dtype = ScoreCodec.Parse(trak.ScoreDtype);
        var settings = TrakParameters.Settings(trak);
        var runs = new Dictionary<string, long>();
        var missing = new List<string>();
        foreach (var kind in Kinds)
        {
            var (_, hash) = TrakParameters.For(kind, trak, checkpoints);
            if (context.Attributions.FindCompleteRun(dataset.Id, hash) is { } done) runs[kind] = done.Id;
            else missing.Add(kind);
        }
        // The on-demand worker needs the image run's scoring matrices; recompute if they are gone.
        if (runs.TryGetValue(TargetKinds.Image, out long imageRun) && context.Attributions.GetScoringMatrices(imageRun).Count != checkpoints.Count)
        {
            runs.Remove(TargetKinds.Image);
            missing.Add(TargetKinds.Image);
        }
        if (missing.Count == 0)
        {
            StepProgress.Skipped("TRAK", $"runs {string.Join(", ", runs.Values)} with identical parameters are complete");
            return runs;
        }

        var clock = Stopwatch.StartNew();
        var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, model.ImageSize);
        var val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, model.ImageSize);
        using var plan = TargetPlanner.Plan(val, context.Datasets.GetCategories(dataset.Id),
            id => context.Datasets.GetImage(id)!, context.Datasets.GetAnnotations, missing.ToHashSet());
        var targets = val.Select(plan.Targets.Select(t => t.ExampleIndex).ToArray());
        var runIds = missing.ToDictionary(kind => kind, kind =>
        {
            var (json, hash) = TrakParameters.For(kind, trak, checkpoints);
            return context.Attributions.BeginRun(dataset.Id, AttributionMethods.Trak, kind, json, hash, train.ImageIds);
        });
        try
        {
            var networks = checkpoints.Select(c => (nn.Module<Tensor, Tensor>)CheckpointFile.Load(c.Path, model, train.NumClasses, context.Device)).ToList();
            var matrices = new List<ScoringMatrixRecord>();
            double total = checkpoints.Count * (train.Count + targets.Count);
            string title = $"TRAK ({string.Join(", ", missing)})";
            var result = StepProgress.Run(title, total, report =>
                TrakRunner.Run(networks, train, targets, plan.Targets.Select(t => t.Output).ToList(), settings,
                    new SyncProgress<TrakProgress>(p => report(
                        p.Checkpoint * (train.Count + targets.Count) + (p.Stage == "featurize_train" ? p.Done : train.Count + p.Done),
                        $"checkpoint {p.Checkpoint + 1}/{checkpoints.Count} {p.Stage}")),
                    runIds.ContainsKey(TargetKinds.Image) ? (m, matrix) => matrices.Add(SaveMatrix(context, runIds[TargetKinds.Image], m, checkpoints[m], matrix)) : null));
            foreach (var n in networks) n.Dispose();
            for (int t = 0; t < plan.Targets.Count; t++)
                if (result.Scores[t].Any(s => !float.IsFinite(s)))
                    throw new InvalidOperationException($"TRAK produced non-finite scores for {plan.Targets[t].Target}");

            foreach (var kind in missing)
            {
                var rows = plan.Targets.Select((p, t) => (p, t)).Where(x => x.p.Target.Kind == kind)
                    .Select(x => (x.p.Target, result.Scores[x.t])).ToList();
                context.Attributions.WriteScores(runIds[kind], rows, dtype);
                if (kind == TargetKinds.Image) context.Attributions.SaveScoringMatrices(matrices);
                var timings = new Dictionary<string, double>(result.SecondsByStage) { ["total"] = clock.Elapsed.TotalSeconds };
                context.Attributions.CompleteRun(runIds[kind], JsonSerializer.Serialize(new
                {
                    seconds = timings, sharedWith = missing, targets = rows.Count, allTargets = plan.Targets.Count,
                    skippedObjectsOutsideCrop = kind == TargetKinds.Object ? plan.SkippedObjects : 0, result.ParameterCount, result.RecomputedGradients,
                }), trak.TopK);
                runs[kind] = runIds[kind];
            }
            var counts = string.Join(" + ", missing.Select(kind => $"{plan.Targets.Count(t => t.Target.Kind == kind)} {kind}"));
            context.Summary.Add(("TRAK", $"{counts} targets × {train.Count} train, k = {trak.ProjectionDim}, {checkpoints.Count} checkpoints, {result.RecomputedGradients} gradients recomputed; " +
                string.Join(", ", result.SecondsByStage.Select(s => $"{s.Key} {s.Value:F1} s")), clock.Elapsed.TotalSeconds));
            return runs;
        }
        catch (Exception e)
        {
            foreach (var id in runIds.Values) context.Attributions.FailRun(id, e.Message);
            throw;
        }
    }

    private static ScoringMatrixRecord SaveMatrix(PipelineContext context, long runId, int position, CheckpointRecord checkpoint, Tensor matrix)
    {
        string path = Path.Combine(context.DataRoot, "trak", $"run{runId}-checkpoint{checkpoint.Id}.scoring.bin");
        string sha = ScoringMatrixFile.Save(path, matrix);
        return new ScoringMatrixRecord(runId, position, checkpoint.Id, (int)matrix.shape[0], (int)matrix.shape[1], path, sha);
    }
}
