using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using System.Text.Json.Serialization;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Training;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Worker.Infrastructure;
using TorchSharp;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>The parameters of one training run (kind "train"): everything that changes the checkpoint.</summary>
public sealed record TrainRunParameters(string Architecture, int NumClasses, int ImageSize, int BaseWidth, int BlocksPerStage,
    int AsppChannels, int[] AsppRates, int Epochs, int BatchSize, double LearningRate, double WeightDecay, double PlateauFactor,
    int PlateauPatience, bool HorizontalFlip, string Optimizer, string Loss, int Seed, int TrajectoryEpochs = 1,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Schedule = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Momentum = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? WarmupEpochs = null) : IRunParameters
{
    // Schedule is null for reduce-on-plateau, Momentum for Adam and WarmupEpochs without warm-up, so runs recorded before
    // any of them existed keep their identity.
    public string RunKind => "train";

    public static TrainRunParameters Of(ModelOptions model, TrainingOptions training, int seed, int numClasses) =>
        new("deeplabv3", numClasses, model.ImageSize, model.BaseWidth, model.BlocksPerStage, model.AsppChannels, model.AsppRates,
            training.Epochs, training.BatchSize, training.LearningRate, training.WeightDecay, training.PlateauFactor, training.PlateauPatience,
            training.HorizontalFlip, training.Optimizer, "cross_entropy(ignore=255)", seed, training.TrajectoryEpochs,
            training.Schedule == LearningRateSchedules.Plateau ? null : training.Schedule,
            training.Optimizer == Optimizers.Sgd ? training.Momentum : null, training.WarmupEpochs > 0 ? training.WarmupEpochs : null);

    /// <summary>The epochs whose end-of-epoch weights become checkpoints, ascending; the last is the final model.</summary>
    public int[] CheckpointEpochs => Enumerable.Range(Epochs - TrajectoryEpochs + 1, TrajectoryEpochs).ToArray();

    public ModelOptions Model => new() { ImageSize = ImageSize, BaseWidth = BaseWidth, BlocksPerStage = BlocksPerStage, AsppChannels = AsppChannels, AsppRates = AsppRates };
}

/// <param name="CheckpointId">The final checkpoint.</param>
/// <param name="TrajectoryCheckpointIds">Every checkpoint of the run in epoch order (null for runs recorded before trajectories).</param>
public sealed record TrainRunResult(long CheckpointId, double ValMeanIou, double Seconds, int RecomputedBatches, long[]? TrajectoryCheckpointIds = null)
{
    public long[] CheckpointIds => TrajectoryCheckpointIds ?? [CheckpointId];
}

/// <summary>One training run per seed (a complete run with identical parameters is reused): trains, records val mIoU,
/// seeds and hyperparameters, writes each checkpoint file (the last <see cref="TrainingOptions.TrajectoryEpochs"/>
/// epochs' weights) as a run artifact and stores their val predictions, and the final checkpoint's train predictions.</summary>
public static class TrainStep
{
    public const string CheckpointArtifact = "checkpoint";

    public static IReadOnlyList<CheckpointRecord> Run(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training)
    {
        int classes = context.Datasets.GetCategories(dataset.Id).Count + 1;
        InMemorySegmentationSource? train = null, val = null;
        var result = new List<CheckpointRecord>();
        foreach (int seed in training.Seeds)
        {
            var parameters = TrainRunParameters.Of(model, training, seed, classes);
            var outcome = context.Runs.Execute(dataset.Id, dataset.Version, parameters, [], scope =>
            {
                train ??= DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, model.ImageSize);
                val ??= DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, model.ImageSize);
                return Train(context, dataset, scope, parameters, training, train, val);
            });
            if (outcome.Reused) StepProgress.Skipped($"train seed {seed}", $"run {outcome.Run.Id} ({outcome.Result.CheckpointIds.Length} checkpoint(s)) is complete, val mIoU {outcome.Result.ValMeanIou:F3}");
            result.AddRange(outcome.Result.CheckpointIds.Select(id => context.Checkpoints.Get(id)!));
        }
        return result;
    }

    private static TrainRunResult Train(PipelineContext context, DatasetInfo dataset, RunScope scope, TrainRunParameters parameters,
        TrainingOptions training, InMemorySegmentationSource train, InMemorySegmentationSource val)
    {
        int seed = parameters.Seed;
        var epochs = parameters.CheckpointEpochs;
        torch.manual_seed(seed);
        using var network = DeepLabV3.Create(parameters.Model, parameters.NumClasses);
        network.to(context.Device);
        var files = new Dictionary<int, RunArtifact>();
        // Reported after the epoch's last optimizer step, on this thread: the weights are exactly the end-of-epoch ones.
        void Snapshot(TrainProgress p)
        {
            if (p.Batch != p.Batches || p.Epoch == p.Epochs || !epochs.Contains(p.Epoch)) return;
            files[p.Epoch] = WriteCheckpoint(context, dataset, scope, network, seed, p.Epoch, final: false);
        }
        var outcome = StepProgress.Run($"train seed {seed}", training.Epochs * Math.Ceiling(train.Count / (double)training.BatchSize),
            report => SegmentationTrainer.Train(network, train, training, seed, new SyncProgress<TrainProgress>(p =>
            {
                Snapshot(p);
                report((p.Epoch - 1) * p.Batches + p.Batch, $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3}");
            })));
        files[parameters.Epochs] = WriteCheckpoint(context, dataset, scope, network, seed, parameters.Epochs, final: true);

        var existing = context.Checkpoints.ListByRun(scope.RunId).ToDictionary(c => c.Epoch);
        var ids = new List<long>();
        double finalMiou = 0;
        foreach (int epoch in epochs)
        {
            using var model = epoch == parameters.Epochs ? null : CheckpointFile.Load(context.Artifacts.FullPath(files[epoch].RelativePath), parameters.Model, parameters.NumClasses, context.Device);
            var evaluated = model ?? network;
            evaluated.eval();
            double miou = SegmentationPredictor.Evaluate(evaluated, val);
            long id = existing.TryGetValue(epoch, out var found) ? found.Id : context.Checkpoints.Add(new CheckpointRecord(0, dataset.Id, seed,
                context.Artifacts.FullPath(files[epoch].RelativePath), miou, Core.Runs.RunParameters.Serialize(parameters), outcome.Seconds, DateTime.UtcNow, scope.RunId, epoch));
            context.Checkpoints.SavePredictions(SegmentationPredictor.Predict(evaluated, val)
                .Select(p => new PredictionRecord(id, p.ImageId, parameters.ImageSize, parameters.ImageSize, p.Labels)).ToList());
            ids.Add(id);
            if (epoch == parameters.Epochs) finalMiou = miou;
        }
        // The final model's predictions of its own training images: the app's lightbox shows them and where they
        // disagree with the label (the ensemble there is one final checkpoint per run, as for the confidence detector).
        context.Checkpoints.SavePredictions(SegmentationPredictor.Predict(network, train)
            .Select(p => new PredictionRecord(ids[^1], p.ImageId, parameters.ImageSize, parameters.ImageSize, p.Labels)).ToList());
        string trajectory = epochs.Length > 1 ? $", checkpoints after epochs {string.Join(", ", epochs)}" : "";
        context.Summary.Add(($"train seed {seed}", $"val mIoU {finalMiou:F3}, {parameters.ImageSize}px, {network.ParameterCount():N0} params{trajectory}", outcome.Seconds));
        return new TrainRunResult(ids[^1], finalMiou, outcome.Seconds, outcome.RecomputedBatches, ids.ToArray());
    }

    private static RunArtifact WriteCheckpoint(PipelineContext context, DatasetInfo dataset, RunScope scope, DeepLabV3 network, int seed, int epoch, bool final)
    {
        string name = final ? CheckpointArtifact : $"{CheckpointArtifact}.epoch{epoch}";
        var artifact = context.Artifacts.Write(name, Path.Combine("checkpoints", dataset.Name, $"run{scope.RunId}-seed{seed}-epoch{epoch}.bin"),
            temporary => CheckpointFile.Save(network, temporary));
        scope.AddArtifact(artifact);
        return artifact;
    }

    /// <summary>The checkpoints of every configured seed whose training run with exactly these parameters is complete.</summary>
    public static IReadOnlyList<CheckpointRecord> Existing(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training)
    {
        int classes = context.Datasets.GetCategories(dataset.Id).Count + 1;
        return training.Seeds.Select(seed =>
        {
            var run = context.Runs.Ensure(dataset.Id, dataset.Version, TrainRunParameters.Of(model, training, seed, classes), []);
            if (!run.IsComplete) throw new InvalidOperationException($"no complete training run for seed {seed} with the configured hyperparameters (run {run.Id} is {run.State.ToString().ToLowerInvariant()}); run train first");
            return RunExecutor.ReadResult<TrainRunResult>(run).CheckpointIds.Select(id => context.Checkpoints.Get(id)!);
        }).SelectMany(c => c).ToList();
    }

    /// <summary>Loads a checkpoint after verifying its file against the SHA-256 its training run recorded.</summary>
    public static DeepLabV3 Load(PipelineContext context, CheckpointRecord checkpoint, TorchSharp.torch.Device? device = null)
    {
        var parameters = TrainParameters(context, checkpoint);
        return CheckpointFile.Load(VerifiedPath(context, checkpoint), parameters.Model, parameters.NumClasses, device);
    }

    /// <summary>The checkpoint's file, verified against the SHA-256 its training run recorded (when it recorded one).</summary>
    public static string VerifiedPath(PipelineContext context, CheckpointRecord checkpoint) =>
        checkpoint.RunId != 0 && context.Ledger.Artifacts(checkpoint.RunId)
                .FirstOrDefault(a => a.Name.StartsWith(CheckpointArtifact, StringComparison.Ordinal) && context.Artifacts.FullPath(a.RelativePath) == checkpoint.Path) is { } artifact
            ? context.Artifacts.Verified(artifact, "retrain it: `precompute train` (the run with this checkpoint must be deleted first)")
            : checkpoint.Path;

    public static TrainRunParameters TrainParameters(PipelineContext context, CheckpointRecord checkpoint) =>
        System.Text.Json.JsonSerializer.Deserialize<TrainRunParameters>(checkpoint.HyperparametersJson, RunParameters.JsonOptions)
        ?? throw new InvalidDataException($"checkpoint {checkpoint.Id}: hyperparameters_json is empty");
}

/// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
