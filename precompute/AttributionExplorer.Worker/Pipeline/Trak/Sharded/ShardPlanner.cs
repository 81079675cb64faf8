using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Worker.Infrastructure;
using AttributionExplorer.Worker.Plugins;

namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>`trak-shard plan`: reads the database once (dataset, complete training runs, held-out predictions) and
/// writes plan.json and the input snapshot into the shared directory. Run again with the same inputs it finds the same
/// plan and keeps it (shards already finished stay valid); with changed inputs it writes a new plan, whose SHA-256 no
/// old shard manifest carries, so every shard is redone.</summary>
public static class ShardPlanner
{
    public static ShardPlan Write(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes, string dir)
    {
        var checkpoints = TrainStep.Existing(context, dataset, sizes.Model, sizes.Training);
        if (checkpoints.Count == 0) throw new InvalidOperationException($"dataset '{dataset.Name}' has no checkpoints; run train first");
        var trainParameters = TrainStep.TrainParameters(context, checkpoints[0]);
        int size = trainParameters.ImageSize;
        var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, size);
        var val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, size);
        var kinds = PluginRegistry.TargetKinds.Select(kind =>
        {
            using var targets = TrakScoreStage.Plan(context, dataset, kind, checkpoints, val);
            return new PlannedKind(kind.Info.Name, targets.Targets.Count);
        }).ToList();
        var ranges = TrakStep.Ranges(train.Count, sizes.Trak.FeaturizeRangeSize).Select(r => new FeaturizeRange(r.Start, r.Count)).ToList();
        var plan = new ShardPlan(ShardPlan.CurrentFormat, dataset.Id, dataset.Name, dataset.Version, sizes.Trak, size, trainParameters.NumClasses,
            checkpoints.Select(c => c with { Path = SharedInputs.Checkpoint(c.Id) }).ToList(), train.ImageIds, val.ImageIds, ranges, kinds, []);

        if (Existing(dir, plan) is { } same)
        {
            StepProgress.Skipped("trak-shard plan", $"{ShardPlan.Path(dir)} has the same inputs and its snapshot verifies");
            return same;
        }
        string inputs = ShardPlan.InputsDir(dir);
        var files = new List<ShardFile>();
        foreach (var checkpoint in checkpoints)
        {
            string source = TrainStep.VerifiedPath(context, checkpoint);
            files.Add(ShardFiles.Write(inputs, SharedInputs.Checkpoint(checkpoint.Id), temporary => File.Copy(source, temporary, overwrite: true)));
        }
        StepProgress.Run("trak-shard plan: snapshot of the training images", ranges.Count, report =>
        {
            for (int r = 0; r < ranges.Count; r++)
            {
                files.AddRange(SharedInputs.WriteExamples(inputs, SharedInputs.TrainPrefix(ranges[r]), train.Select(Enumerable.Range(ranges[r].Start, ranges[r].Count).ToArray())));
                report(r + 1, null);
            }
            return 0;
        });
        files.AddRange(SharedInputs.WriteExamples(inputs, SharedInputs.ValPrefix, val));
        var planning = new PlanningInputs(context.Datasets.GetCategories(dataset.Id), val.ImageIds.Select(id => context.Datasets.GetImage(id)!).ToList(),
            val.ImageIds.ToDictionary(id => id, id => context.Datasets.GetAnnotations(id).ToArray()),
            val.ImageIds.ToDictionary(id => id, id => checkpoints.Select(c => context.Checkpoints.GetPrediction(c.Id, id)?.Labels
                ?? throw new InvalidOperationException($"checkpoint {c.Id} has no stored prediction of held-out image {id}; retrain it")).ToArray()));
        files.Add(ShardFiles.Write(inputs, PlanningInputs.FileName, temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(planning, ShardFiles.Json))));
        plan = plan with { Inputs = files };
        ShardFiles.WriteJson(ShardPlan.Path(dir), plan);
        context.Summary.Add(("trak-shard plan", $"{ShardPlan.Path(dir)}: {checkpoints.Count} checkpoints × {ranges.Count} range(s) of {train.Count} train images; " +
            string.Join(", ", kinds.Select(k => $"{k.Targets} {k.Name} targets")), 0));
        return plan;
    }

    /// <summary>The plan already in <paramref name="dir"/> when it describes the same computation and its inputs verify.</summary>
    private static ShardPlan? Existing(string dir, ShardPlan fresh)
    {
        if (!File.Exists(ShardPlan.Path(dir))) return null;
        ShardPlan old;
        try { old = ShardPlan.Load(dir).Plan; }
        catch (InvalidDataException) { return null; }
        string Describe(ShardPlan p) => JsonSerializer.Serialize(p with { Inputs = [] }, ShardFiles.Json);
        if (Describe(old) != Describe(fresh)) return null;
        return old.Inputs.All(f => ShardFiles.Problem(ShardPlan.InputsDir(dir), f) is null) ? old : null;
    }
}
