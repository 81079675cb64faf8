using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Pipeline.Trak;

/// <summary>TRAK for every held-out image and every planned target kind, as staged runs in the ledger:
/// featurize (per checkpoint, per range of training images) → finalize (per checkpoint) → score (per target kind).
/// Each stage is found by its identity, so completed stages are reused, an interrupted one resumes, and a changed
/// input (dataset, checkpoint, projection, λ) makes new runs. Train features and kernels are shared by all kinds.</summary>
public static class TrakStep
{
    public static IReadOnlyDictionary<string, long> Run(PipelineContext context, DatasetInfo dataset, TrakOptions trak,
        IReadOnlyList<CheckpointRecord> checkpoints, IReadOnlyList<ITargetKind> kinds)
    {
        if (checkpoints.Count == 0) throw new InvalidOperationException($"dataset '{dataset.Name}' has no checkpoints; run train first");
        // Identities first (cheap): featurize → finalize → score. Only what is not complete gets computed.
        var identities = TrakStages.Ensure(context, dataset, trak, checkpoints, kinds);
        var (projection, trainCount, ranges, featurize, finalize, scoreParameters) = (identities.Projection, identities.TrainCount,
            identities.Ranges, identities.Featurize, identities.Finalize, identities.ScoreParameters);
        var scoreRuns = new Dictionary<string, RunRecord>(identities.ScoreRuns);
        if (scoreRuns.Values.All(r => r.IsComplete))
        {
            WarnAboutRegime(context, checkpoints, finalize);
            StepProgress.Skipped("TRAK", $"runs {string.Join(", ", scoreRuns.Values.Select(r => r.Id))} with identical inputs are complete");
            return scoreRuns.ToDictionary(r => r.Key, r => r.Value.Id);
        }

        var clock = Stopwatch.StartNew();
        var model = TrainStep.TrainParameters(context, checkpoints[0]).Model;
        var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, model.ImageSize);
        var val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, model.ImageSize);
        var finalized = new List<(CheckpointRecord, RunRecord)>();
        foreach (var checkpoint in checkpoints)
        {
            var stages = featurize[checkpoint.Id].Select((run, r) => run.IsComplete ? run
                : TrakFeaturizeStage.Run(context, dataset, checkpoint, projection, train, ranges[r].Start, ranges[r].Count)).ToList();
            var kernel = finalize[checkpoint.Id].IsComplete ? finalize[checkpoint.Id]
                : TrakFinalizeStage.Run(context, dataset, checkpoint, projection, trak.Lambda, stages);
            finalized.Add((checkpoint, kernel));
        }
        WarnAboutRegime(context, checkpoints, finalized.ToDictionary(f => f.Item1.Id, f => f.Item2));
        var seconds = clock.Elapsed.TotalSeconds;
        context.Summary.Add(("TRAK features + kernels", $"{checkpoints.Count} checkpoints × {trainCount} train, k = {trak.ProjectionDim}, {ranges.Count} range(s) each", seconds));
        foreach (var kind in kinds)
        {
            if (scoreRuns[kind.Info.Name].IsComplete) continue;
            clock.Restart();
            var outcome = TrakScoreStage.Run(context, dataset, kind, scoreParameters[kind.Info.Name], finalized, train, val);
            context.Summary.Add(($"TRAK {kind.Info.Name}", $"run {outcome.Run.Id}: {outcome.Result.Targets} targets × {trainCount} train",
                clock.Elapsed.TotalSeconds));
            scoreRuns[kind.Info.Name] = outcome.Run;
        }
        return scoreRuns.ToDictionary(r => r.Key, r => r.Value.Id);
    }

    /// <summary>One CLI warning per checkpoint whose kernel is degenerate (<see cref="Core.LabelErrors.KernelRegime"/>), with the figures.</summary>
    internal static void WarnAboutRegime(PipelineContext context, IReadOnlyList<CheckpointRecord> checkpoints, IReadOnlyDictionary<long, RunRecord> finalize)
    {
        foreach (var checkpoint in checkpoints)
        {
            if (!finalize[checkpoint.Id].IsComplete) continue;
            var warnings = RunExecutor.ReadResult<TrakFinalizeResult>(finalize[checkpoint.Id]).Figures(checkpoint.Id).Warnings();
            if (warnings.Count > 0)
                context.Warnings.Add($"TRAK kernel of checkpoint {checkpoint.Id} (seed {checkpoint.Seed}, finalize run {finalize[checkpoint.Id].Id}) is degenerate: {string.Join("; ", warnings)}");
        }
    }

    /// <summary>Per checkpoint, the train features Φ [n, k] and the scoring matrix (ΦᵀΦ + λI)⁻¹Φᵀ [k, n] of its complete
    /// featurize and finalize runs (files verified against their SHA-256); TRAK is computed first when it is missing.
    /// Tensors belong to the caller's dispose scope.</summary>
    public static IReadOnlyList<(CheckpointRecord Checkpoint, TorchSharp.torch.Tensor Features, TorchSharp.torch.Tensor Scoring)> TrainKernels(
        PipelineContext context, DatasetInfo dataset, TrakOptions trak, IReadOnlyList<CheckpointRecord> checkpoints)
    {
        var projection = TrakProjection.Of(trak);
        int trainCount = context.Datasets.CountImages(dataset.Id, Splits.Train);
        var ranges = Ranges(trainCount, trak.FeaturizeRangeSize);
        return checkpoints.Select(c =>
        {
            var featurize = ranges.Select(r => context.Runs.Ensure(dataset.Id, dataset.Version, TrakFeaturizeParameters.For(c, projection, r.Start, r.Count, trainCount), [c.RunId])).ToList();
            var finalize = context.Runs.Ensure(dataset.Id, dataset.Version, TrakFinalizeParameters.For(c, projection, trak.Lambda), featurize.Select(r => r.Id).ToList());
            if (!finalize.IsComplete || featurize.Any(r => !r.IsComplete))
                throw new InvalidOperationException($"TRAK features of checkpoint {c.Id} are not complete (finalize run {finalize.Id} is {finalize.State.ToString().ToLowerInvariant()}); run `precompute rank trak` first");
            var features = TorchSharp.torch.cat(featurize.Select(r => TrakFeaturizeStage.Load(context, r)).ToList(), 0);
            return (c, features, TrakFinalizeStage.LoadScoring(context, finalize, c.Id));
        }).ToList();
    }

    /// <summary>[start, count) ranges of the training set for featurization (size 0 = one range).</summary>
    public static IReadOnlyList<(int Start, int Count)> Ranges(int n, int size)
    {
        if (size <= 0 || size >= n) return [(0, n)];
        return Enumerable.Range(0, (n + size - 1) / size).Select(i => (i * size, Math.Min(size, n - i * size))).ToList();
    }
}
