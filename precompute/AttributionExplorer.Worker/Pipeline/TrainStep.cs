using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
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
    int PlateauPatience, bool HorizontalFlip, string Optimizer, string Loss, int Seed) : IRunParameters
{
    public string RunKind => "train";

    public static TrainRunParameters Of(ModelOptions model, TrainingOptions training, int seed, int numClasses) =>
        new("deeplabv3", numClasses, model.ImageSize, model.BaseWidth, model.BlocksPerStage, model.AsppChannels, model.AsppRates,
            training.Epochs, training.BatchSize, training.LearningRate, training.WeightDecay, training.PlateauFactor, training.PlateauPatience,
            training.HorizontalFlip, "adam", "cross_entropy(ignore=255)", seed);

    public ModelOptions Model => new() { ImageSize = ImageSize, BaseWidth = BaseWidth, BlocksPerStage = BlocksPerStage, AsppChannels = AsppChannels, AsppRates = AsppRates };
}

public sealed record TrainRunResult(long CheckpointId, double ValMeanIou, double Seconds, int RecomputedBatches);

/// <summary>One training run per seed (a complete run with identical parameters is reused): trains, records val mIoU,
/// seeds and hyperparameters, writes the checkpoint file as a run artifact and stores the val predictions.</summary>
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
            if (outcome.Reused) StepProgress.Skipped($"train seed {seed}", $"run {outcome.Run.Id} (checkpoint {outcome.Result.CheckpointId}) is complete, val mIoU {outcome.Result.ValMeanIou:F3}");
            result.Add(context.Checkpoints.Get(outcome.Result.CheckpointId)!);
        }
        return result;
    }

    private static TrainRunResult Train(PipelineContext context, DatasetInfo dataset, RunScope scope, TrainRunParameters parameters,
        TrainingOptions training, InMemorySegmentationSource train, InMemorySegmentationSource val)
    {
        int seed = parameters.Seed;
        torch.manual_seed(seed);
        using var network = DeepLabV3.Create(parameters.Model, parameters.NumClasses);
        network.to(context.Device);
        var outcome = StepProgress.Run($"train seed {seed}", training.Epochs * Math.Ceiling(train.Count / (double)training.BatchSize),
            report => SegmentationTrainer.Train(network, train, training, seed, new SyncProgress<TrainProgress>(p =>
                report((p.Epoch - 1) * p.Batches + p.Batch, $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3}"))));
        double miou = SegmentationPredictor.Evaluate(network, val);
        var artifact = context.Artifacts.Write(CheckpointArtifact, Path.Combine("checkpoints", dataset.Name, $"run{scope.RunId}-seed{seed}.bin"),
            temporary => CheckpointFile.Save(network, temporary));
        scope.AddArtifact(artifact);
        long id = context.Checkpoints.FindByRun(scope.RunId)?.Id ?? context.Checkpoints.Add(new CheckpointRecord(0, dataset.Id, seed,
            context.Artifacts.FullPath(artifact.RelativePath), miou, Core.Runs.RunParameters.Serialize(parameters), outcome.Seconds, DateTime.UtcNow, scope.RunId));
        context.Checkpoints.SavePredictions(SegmentationPredictor.Predict(network, val)
            .Select(p => new PredictionRecord(id, p.ImageId, parameters.ImageSize, parameters.ImageSize, p.Labels)).ToList());
        context.Summary.Add(($"train seed {seed}", $"val mIoU {miou:F3}, {parameters.ImageSize}px, {network.ParameterCount():N0} params, {outcome.RecomputedBatches} batches recomputed", outcome.Seconds));
        return new TrainRunResult(id, miou, outcome.Seconds, outcome.RecomputedBatches);
    }

    /// <summary>The checkpoint of every configured seed whose training run with exactly these parameters is complete.</summary>
    public static IReadOnlyList<CheckpointRecord> Existing(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training)
    {
        int classes = context.Datasets.GetCategories(dataset.Id).Count + 1;
        return training.Seeds.Select(seed =>
        {
            var run = context.Runs.Ensure(dataset.Id, dataset.Version, TrainRunParameters.Of(model, training, seed, classes), []);
            if (!run.IsComplete) throw new InvalidOperationException($"no complete training run for seed {seed} with the configured hyperparameters (run {run.Id} is {run.State.ToString().ToLowerInvariant()}); run train first");
            return context.Checkpoints.Get(RunExecutor.ReadResult<TrainRunResult>(run).CheckpointId)!;
        }).ToList();
    }

    /// <summary>Loads a checkpoint after verifying its file against the SHA-256 its training run recorded.</summary>
    public static DeepLabV3 Load(PipelineContext context, CheckpointRecord checkpoint, TorchSharp.torch.Device? device = null)
    {
        var parameters = TrainParameters(context, checkpoint);
        string path = checkpoint.RunId != 0 && context.Ledger.Artifacts(checkpoint.RunId).FirstOrDefault(a => a.Name == CheckpointArtifact) is { } artifact
            ? context.Artifacts.Verified(artifact, "retrain it: `precompute train` (the run with this checkpoint must be deleted first)")
            : checkpoint.Path;
        return CheckpointFile.Load(path, parameters.Model, parameters.NumClasses, device);
    }

    public static TrainRunParameters TrainParameters(PipelineContext context, CheckpointRecord checkpoint) =>
        System.Text.Json.JsonSerializer.Deserialize<TrainRunParameters>(checkpoint.HyperparametersJson, RunParameters.JsonOptions)
        ?? throw new InvalidDataException($"checkpoint {checkpoint.Id}: hyperparameters_json is empty");
}

/// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
