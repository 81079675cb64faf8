using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Checkpoints loaded on first use, once (each file verified, <see cref="TrainStep.Load"/>), so an ensemble and
/// its halves share the same models; disposing frees them all. Predictions come from the command's
/// <see cref="PredictionCache"/>, so a checkpoint whose predictions are kept is not even loaded.</summary>
public sealed class LoadedCheckpoints(PipelineContext context, IEnumerable<CheckpointRecord> checkpoints) : IDisposable
{
    private readonly Dictionary<long, CheckpointRecord> known = checkpoints.ToDictionary(c => c.Id);
    private readonly Dictionary<long, nn.Module<Tensor, Tensor>> models = new();

    /// <summary>The loaded models of <paramref name="ensemble"/> (each must be among the given checkpoints).</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Of(IEnumerable<CheckpointRecord> ensemble) => ensemble.Select(Model).ToList();

    /// <summary>The predictions of <paramref name="ensemble"/>'s models on <paramref name="source"/> (the dataset's
    /// <paramref name="split"/> at model resolution).</summary>
    public IReadOnlyList<IModelPredictions> PredictionsOf(IEnumerable<CheckpointRecord> ensemble, DatasetInfo dataset, string split,
        InMemorySegmentationSource source) =>
        ensemble.Select(c => context.Predictions.Of(c, dataset, split, source.Size, source, () => Model(c))).ToList();

    private nn.Module<Tensor, Tensor> Model(CheckpointRecord checkpoint)
    {
        if (!known.ContainsKey(checkpoint.Id)) throw new ArgumentException($"checkpoint {checkpoint.Id} is not among the loaded ones");
        if (!models.TryGetValue(checkpoint.Id, out var model))
            models[checkpoint.Id] = model = TrainStep.Load(context, checkpoint, context.Device);
        return model;
    }

    public void Dispose()
    {
        foreach (var model in models.Values) model.Dispose();
        models.Clear();
    }
}
