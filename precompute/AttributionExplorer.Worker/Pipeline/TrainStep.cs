using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Worker.Infrastructure;
using TorchSharp;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Trains one checkpoint per seed (skipping seeds already trained with identical hyperparameters),
/// records val mIoU, seeds and hyperparameters, and stores the val predictions.</summary>
public static class TrainStep
{
    public static IReadOnlyList<CheckpointRecord> Run(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training)
    {
        var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, model.ImageSize);
        var val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, model.ImageSize);
        var result = new List<CheckpointRecord>();
        foreach (int seed in training.Seeds)
        {
            string hyper = HyperparametersJson(model, training, seed, train.NumClasses);
            if (context.Checkpoints.Find(dataset.Id, seed, hyper) is { } existing)
            {
                StepProgress.Skipped($"train seed {seed}", $"checkpoint {existing.Id} exists, val mIoU {existing.ValMeanIou:F3}");
                result.Add(existing);
                continue;
            }
            var clock = Stopwatch.StartNew();
            torch.manual_seed(seed);
            using var network = DeepLabV3.Create(model, train.NumClasses);
            network.to(context.Device);
            var outcome = StepProgress.Run($"train seed {seed}", training.Epochs * Math.Ceiling(train.Count / (double)training.BatchSize),
                report => SegmentationTrainer.Train(network, train, training, seed, new SyncProgress<TrainProgress>(p =>
                    report((p.Epoch - 1) * p.Batches + p.Batch, $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3}"))));
            double miou = SegmentationPredictor.Evaluate(network, val);
            string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(hyper)))[..12].ToLowerInvariant();
            string path = Path.Combine(context.DataRoot, "checkpoints", dataset.Name, $"seed{seed}-{hash}.bin");
            CheckpointFile.Save(network, path);
            long id = context.Checkpoints.Add(new CheckpointRecord(0, dataset.Id, seed, path, miou, hyper, outcome.Seconds, DateTime.UtcNow));
            context.Checkpoints.SavePredictions(SegmentationPredictor.Predict(network, val)
                .Select(p => new PredictionRecord(id, p.ImageId, model.ImageSize, model.ImageSize, p.Labels)).ToList());
            var record = context.Checkpoints.List(dataset.Id).Single(c => c.Id == id);
            context.Summary.Add(($"train seed {seed}", $"val mIoU {miou:F3}, {model.ImageSize}px, {network.ParameterCount():N0} params, {outcome.RecomputedBatches} batches recomputed", clock.Elapsed.TotalSeconds));
            result.Add(record);
        }
        return result;
    }

    /// <summary>The stored checkpoint of every configured seed with exactly these hyperparameters (what `train` made).</summary>
    public static IReadOnlyList<CheckpointRecord> Existing(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training)
    {
        int classes = context.Datasets.GetCategories(dataset.Id).Count + 1;
        return training.Seeds.Select(seed => context.Checkpoints.Find(dataset.Id, seed, HyperparametersJson(model, training, seed, classes))
            ?? throw new InvalidOperationException($"no checkpoint for seed {seed} with the configured hyperparameters; run train first")).ToList();
    }

    public static string HyperparametersJson(ModelOptions model, TrainingOptions training, int seed, int numClasses) =>
        JsonSerializer.Serialize(new
        {
            architecture = "deeplabv3", numClasses, model.ImageSize, model.BaseWidth, model.BlocksPerStage, model.AsppChannels, model.AsppRates,
            training.Epochs, training.BatchSize, training.LearningRate, training.WeightDecay, training.PlateauFactor, training.PlateauPatience,
            training.HorizontalFlip, optimizer = "adam", loss = "cross_entropy(ignore=255)", seed,
        });
}

/// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
