using System.Diagnostics;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Worker.Infrastructure;
using TorchSharp;

namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>`trak-shard merge`: the only step of a sharded computation that writes the database. It checks the plan
/// against the database (dataset version, checkpoints, training images), verifies every shard of every stage (each file's
/// size and SHA-256 against its manifest) before it records anything, then records the same runs a single process
/// would (<see cref="TrakStages"/>: same identities) through the normal lifecycle: each featurize and finalize run gets
/// its shard file as its artifact, and each score run assembles its per-checkpoint scores from the target-range files
/// and goes through the single-process score stage's recording (mean, reliability, scores, top-k, overall influence).
/// A run that is already complete is reused, so merging twice records nothing new.</summary>
public static class ShardMerge
{
    public static IReadOnlyDictionary<string, long> Run(PipelineContext context, string dir)
    {
        var clock = Stopwatch.StartNew();
        var (plan, planSha) = ShardPlan.Load(dir);
        var dataset = context.Datasets.Get(plan.DatasetId);
        if (dataset is null || dataset.Name != plan.DatasetName)
            throw new InvalidOperationException($"{ShardPlan.Path(dir)} was planned for dataset {plan.DatasetId} '{plan.DatasetName}', which {context.Database.Path} does not hold");
        if (dataset.Version != plan.DatasetVersion)
            throw new InvalidOperationException($"{ShardPlan.Path(dir)} was planned for version {plan.DatasetVersion} of '{dataset.Name}', the database holds version {dataset.Version}; plan again");
        var checkpoints = plan.Checkpoints.Select(c => context.Checkpoints.Get(c.Id) is { } stored && stored.RunId == c.RunId && stored.Epoch == c.Epoch ? stored
            : throw new InvalidOperationException($"{ShardPlan.Path(dir)}: checkpoint {c.Id} (training run {c.RunId}, epoch {c.Epoch}) is not in {context.Database.Path}; plan again")).ToList();
        var trainIds = DatabaseImageIds(context, dataset, Splits.Train);
        if (!trainIds.SequenceEqual(plan.TrainImageIds))
            throw new InvalidOperationException($"{ShardPlan.Path(dir)}: its {plan.TrainImageIds.Count} training images are not the database's {trainIds.Count} (in order); plan again");

        // Everything is checked before anything is recorded: a missing or corrupt shard leaves the database untouched.
        var outputs = ShardStages.All.ToDictionary(stage => stage, stage => StageOutputs.Read(dir, stage, planSha));
        foreach (var stage in outputs.Values) stage.VerifyAll();
        var kinds = plan.Kinds.Select(k => SharedInputs.Kind(k.Name)).ToList();
        var stages = TrakStages.Ensure(context, dataset, plan.Trak, checkpoints, kinds);
        if (!stages.Ranges.SequenceEqual(plan.Ranges.Select(r => (r.Start, r.Count))))
            throw new InvalidOperationException($"{ShardPlan.Path(dir)}: featurize ranges differ from the database's training set; plan again");
        var scoreFiles = ScoreFiles(plan, outputs[ShardStages.Score]);

        var finalized = new List<(CheckpointRecord, RunRecord)>();
        foreach (var checkpoint in checkpoints)
        {
            var featurize = plan.Ranges.Select((range, r) => context.Runs.Execute(stages.Featurize[checkpoint.Id][r], scope =>
            {
                string unit = ShardStages.FeaturizeUnit(checkpoint.Id, range);
                string source = outputs[ShardStages.Featurize].File(ShardStages.FeaturesFile(checkpoint.Id, range), unit);
                scope.AddArtifact(context.Artifacts.Write(TrakFeaturizeStage.FeaturesArtifact, TrakFeaturizeStage.ArtifactPath(dataset, scope.RunId),
                    temporary => File.Copy(source, temporary, overwrite: true)));
                return JsonSerializer.Deserialize<TrakFeaturizeResult>(outputs[ShardStages.Featurize].Result(unit))!;
            }).Run).ToList();
            var finalize = context.Runs.Execute(stages.Finalize[checkpoint.Id], scope =>
            {
                string unit = ShardStages.FinalizeUnit(checkpoint.Id);
                string source = outputs[ShardStages.Finalize].File(ShardStages.ScoringFile(checkpoint.Id), unit);
                scope.AddArtifact(context.Artifacts.Write(TrakFinalizeStage.ScoringArtifact, TrakFinalizeStage.ArtifactPath(dataset, scope.RunId, checkpoint.Id),
                    temporary => File.Copy(source, temporary, overwrite: true)));
                return JsonSerializer.Deserialize<TrakFinalizeResult>(outputs[ShardStages.Finalize].Result(unit))!;
            }).Run;
            if (!finalize.Upstream.SequenceEqual(featurize.Select(f => f.Id)))
                throw new InvalidOperationException($"finalize run {finalize.Id} does not have featurize runs {string.Join(", ", featurize.Select(f => f.Id))} upstream");
            finalized.Add((checkpoint, finalize));
        }
        TrakStep.WarnAboutRegime(context, checkpoints, finalized.ToDictionary(f => f.Item1.Id, f => f.Item2));
        context.Summary.Add(("merge TRAK features + kernels", $"{checkpoints.Count} checkpoints × {plan.Ranges.Count} range(s), from {outputs[ShardStages.Featurize].Shards} + {outputs[ShardStages.Finalize].Shards} shards", clock.Elapsed.TotalSeconds));

        var val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, plan.ImageSize);
        var runs = new Dictionary<string, long>();
        foreach (var kind in kinds)
        {
            clock.Restart();
            string name = kind.Info.Name;
            var outcome = TrakScoreStage.Run(context, dataset, kind, stages.ScoreParameters[name], finalized, plan.TrainImageIds, val, (targetPlan, targets, m) =>
            {
                var parts = scoreFiles[name].Select(part => outputs[ShardStages.Score].Matrix(ShardStages.ScoresFile(name, checkpoints[m].Id, part), $"{name} targets [{part.Start}, {part.Start + part.Count})", part.Count, plan.TrainImageIds.Count)).ToList();
                var scores = torch.cat(parts, 0);
                if (scores.shape[0] != targetPlan.Targets.Count)
                    throw new InvalidDataException($"the score shards hold {scores.shape[0]} {name} targets, the database plans {targetPlan.Targets.Count}; plan again");
                return scores;
            });
            runs[name] = outcome.Run.Id;
            context.Summary.Add(($"merge TRAK {name}", outcome.Reused ? $"run {outcome.Run.Id} was complete (reused)" : $"run {outcome.Run.Id}: {outcome.Result.Targets} targets × {plan.TrainImageIds.Count} train, from {outputs[ShardStages.Score].Shards} shards",
                clock.Elapsed.TotalSeconds));
        }
        return runs;
    }

    /// <summary>Per kind, the target ranges of the score shards in order, each checked to be present for every checkpoint.</summary>
    private static Dictionary<string, List<(int Start, int Count)>> ScoreFiles(ShardPlan plan, StageOutputs score)
    {
        var result = new Dictionary<string, List<(int Start, int Count)>>();
        foreach (var kind in plan.Kinds)
        {
            var parts = Enumerable.Range(0, score.Shards).Select(i => new ShardSpec(i, score.Shards).TargetRange(kind.Targets, plan.Trak.GradientBatchSize))
                .Where(r => r.Count > 0).ToList();
            foreach (var checkpoint in plan.Checkpoints)
            foreach (var part in parts)
                if (!score.Has(ShardStages.ScoresFile(kind.Name, checkpoint.Id, part)))
                    throw new InvalidDataException($"no score shard holds {ShardStages.ScoresFile(kind.Name, checkpoint.Id, part)} ({kind.Name} targets [{part.Start}, {part.Start + part.Count}), checkpoint {checkpoint.Id}); rerun the score shards");
            result[kind.Name] = parts;
        }
        return result;
    }

    private static List<long> DatabaseImageIds(PipelineContext context, DatasetInfo dataset, string split)
    {
        int total = context.Datasets.CountImages(dataset.Id, split);
        var ids = new List<long>(total);
        for (int offset = 0; offset < total; offset += 1000) ids.AddRange(context.Datasets.GetImages(dataset.Id, split, offset, 1000).Select(i => i.Id));
        return ids;
    }
}
