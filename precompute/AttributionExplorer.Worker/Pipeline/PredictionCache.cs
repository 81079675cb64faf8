using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Each checkpoint's predictions on a split, computed once per command and shared by every detector that reads
/// them (confidence, loss, object confidence, and each of their ensemble halves), while they fit the budget; beyond
/// it they are recomputed per batch (COCO's train split would need terabytes).</summary>
public sealed class PredictionCache(long budgetBytes = PredictionCache.DefaultBudgetBytes) : IDisposable
{
    public const long DefaultBudgetBytes = 2L << 30;
    private const int BatchSize = 16;
    private readonly Dictionary<(long Checkpoint, long Dataset, string Version, string Split, int Size, int Count), KeptPredictions> kept = new();

    public long KeptBytes { get; private set; }

    /// <summary>The checkpoint's predictions on <paramref name="source"/>, the dataset's <paramref name="split"/> at
    /// <paramref name="imageSize"/> px; <paramref name="model"/> is called only when they are not kept already.</summary>
    public IModelPredictions Of(CheckpointRecord checkpoint, DatasetInfo dataset, string split, int imageSize, ISegmentationSource source,
        Func<nn.Module<Tensor, Tensor>> model)
    {
        var key = (checkpoint.Id, dataset.Id, dataset.Version, split, imageSize, source.Count);
        if (kept.TryGetValue(key, out var predictions)) return predictions;
        var streamed = new StreamedPredictions(model(), source);
        long perExample;
        using (var scope = torch.NewDisposeScope()) perExample = streamed.LogProbabilities(0, 1).numel() * sizeof(float);
        if (KeptBytes + perExample * source.Count > budgetBytes) return streamed;
        predictions = KeptPredictions.Compute(streamed, BatchSize);
        kept[key] = predictions;
        KeptBytes += predictions.Bytes;
        return predictions;
    }

    public void Dispose()
    {
        foreach (var p in kept.Values) p.Dispose();
        kept.Clear();
        KeptBytes = 0;
    }
}
