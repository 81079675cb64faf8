using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.OnDemand;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Worker.Plugins;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>The snapshot a plan writes under inputs/ and the shards read back: model-resolution pixels and labels of
/// each featurize range and of the held-out split (two float32 matrix files each, decoded once by the planner so shards
/// need neither the database nor the image folder), the checkpoint files, and the target planners' inputs.</summary>
public static class SharedInputs
{
    public static string Checkpoint(long checkpointId) => $"checkpoint-{checkpointId}.bin";
    public static string TrainPrefix(FeaturizeRange range) => $"train-{range.Key}";
    public const string ValPrefix = "val";

    /// <summary>Writes <paramref name="source"/>'s pixels [n, 3·S·S] and labels [n, S·S] (as float32) under the inputs folder.</summary>
    public static IReadOnlyList<ShardFile> WriteExamples(string inputs, string prefix, InMemorySegmentationSource source)
    {
        using var scope = torch.NewDisposeScope();
        var (images, labels) = source.Load(0, source.Count);
        return
        [
            ShardFiles.Write(inputs, prefix + ".pixels.bin", temporary => ScoringMatrixFile.Save(temporary, images.reshape(source.Count, -1))),
            ShardFiles.Write(inputs, prefix + ".labels.bin", temporary => ScoringMatrixFile.Save(temporary, labels.reshape(source.Count, -1).to(ScalarType.Float32))),
        ];
    }

    /// <summary>The examples of <paramref name="imageIds"/> read back from the snapshot (files checked against the plan).</summary>
    public static InMemorySegmentationSource ReadExamples(ShardPlan plan, string dir, string prefix, IReadOnlyList<long> imageIds)
    {
        int size = plan.ImageSize, plane = size * size;
        using var scope = torch.NewDisposeScope();
        var pixels = Matrix(plan, dir, prefix + ".pixels.bin", imageIds.Count, 3 * plane).data<float>().ToArray();
        var labels = Matrix(plan, dir, prefix + ".labels.bin", imageIds.Count, plane).data<float>().ToArray();
        var examples = imageIds.Select((id, i) => new SegmentationExample(id, $"{prefix}.pixels.bin row {i}",
            labels.AsSpan(i * plane, plane).ToArray().Select(v => (byte)v).ToArray())).ToList();
        var decoded = imageIds.Select((_, i) => (float[]?)pixels.AsSpan(i * 3 * plane, 3 * plane).ToArray()).ToList();
        return new InMemorySegmentationSource(examples, plan.NumClasses, size, decoded);
    }

    private static Tensor Matrix(ShardPlan plan, string dir, string name, int rows, int cols)
    {
        var file = plan.Inputs.SingleOrDefault(f => f.Name == name) ?? throw new InvalidDataException($"{ShardPlan.Path(dir)} lists no input {name}");
        return ScoringMatrixFile.Load(Path.Combine(ShardPlan.InputsDir(dir), name), rows, cols, file.Sha256);
    }

    /// <summary>A checkpoint of the plan, loaded from its copy under inputs/ after checking its SHA-256.</summary>
    public static Precompute.Models.DeepLabV3 LoadCheckpoint(ShardPlan plan, string dir, CheckpointRecord checkpoint, Device device)
    {
        var parameters = JsonSerializer.Deserialize<TrainRunParameters>(checkpoint.HyperparametersJson, Core.Runs.RunParameters.JsonOptions)
            ?? throw new InvalidDataException($"{ShardPlan.Path(dir)}: checkpoint {checkpoint.Id} has no hyperparameters");
        return CheckpointFile.Load(plan.Input(dir, Checkpoint(checkpoint.Id)), parameters.Model, parameters.NumClasses, device);
    }

    /// <summary>Every target of <paramref name="kind"/> on the held-out snapshot, planned as the single-process score
    /// stage plans them (same order), from the planning inputs the plan copied out of the database.</summary>
    public static TargetPlan PlanTargets(ShardPlan plan, string dir, PlanningInputs inputs, InMemorySegmentationSource val, ITargetKind kind)
    {
        var images = inputs.ValImages.ToDictionary(i => i.Id);
        var targets = TargetPlanner.Plan(val, inputs.Categories, id => images[id], id => inputs.Annotations.GetValueOrDefault(id, []), [kind],
            id => inputs.Predictions.TryGetValue(id, out var p) ? p : throw new InvalidDataException($"{PlanningInputs.FileName}: no predictions of held-out image {id}"));
        int expected = plan.Kinds.Single(k => k.Name == kind.Info.Name).Targets;
        if (targets.Targets.Count != expected)
        {
            targets.Dispose();
            throw new InvalidDataException($"{ShardPlan.Path(dir)}: {kind.Info.Name} has {expected} targets in the plan, the snapshot plans {targets.Targets.Count}; run plan again");
        }
        return targets;
    }

    public static PlanningInputs ReadPlanningInputs(ShardPlan plan, string dir) =>
        ShardFiles.ReadJson<PlanningInputs>(plan.Input(dir, PlanningInputs.FileName), "target planning inputs");

    public static ITargetKind Kind(string name) => PluginRegistry.TargetKinds.SingleOrDefault(k => k.Info.Name == name)
        ?? throw new InvalidDataException($"plan names target kind '{name}', which this worker does not register");
}
