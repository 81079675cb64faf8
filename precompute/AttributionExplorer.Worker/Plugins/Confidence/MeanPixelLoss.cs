using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Plugins.Confidence;

/// <summary>Per example: the mean over its labelled pixels (ignore index excluded) of the cross-entropy of the annotated
/// class under each model, averaged over the models. A high loss means the models disagree with the label.</summary>
public static class MeanPixelLoss
{
    public const int IgnoreIndex = 255;

    public static double[] Compute(IReadOnlyList<nn.Module<Tensor, Tensor>> models, ISegmentationSource source, int batchSize = 16) =>
        Compute(models.Select(m => (IModelPredictions)new StreamedPredictions(m, source)).ToList(), source, batchSize);

    /// <summary>The same from the members' predictions on <paramref name="source"/> (kept or streamed).</summary>
    public static double[] Compute(IReadOnlyList<IModelPredictions> members, ISegmentationSource source, int batchSize = 16)
    {
        if (members.Count == 0) throw new ArgumentException("need at least one model", nameof(members));
        var losses = new double[source.Count];
        for (int start = 0; start < source.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            int count = Math.Min(batchSize, source.Count - start);
            var (_, labels) = source.Load(start, count);
            var valid = labels.ne(IgnoreIndex);
            var safeLabels = torch.where(valid, labels, torch.zeros_like(labels));
            var pixels = valid.sum([1, 2]).to(ScalarType.Float64);
            var total = torch.zeros(count, dtype: ScalarType.Float64);
            foreach (var member in members)
            {
                var pixelLoss = -member.LogProbabilities(start, count).gather(1, safeLabels.unsqueeze(1)).squeeze(1);
                total.add_(pixelLoss.masked_fill(valid.logical_not(), 0).sum([1, 2]).to(ScalarType.Float64));
            }
            // An image with no labelled pixel has nothing to disagree with: loss 0.
            var mean = torch.where(pixels.gt(0), total / (pixels.clamp_min(1) * members.Count), torch.zeros_like(total));
            mean.data<double>().CopyTo(losses, start);
        }
        return losses;
    }
}
