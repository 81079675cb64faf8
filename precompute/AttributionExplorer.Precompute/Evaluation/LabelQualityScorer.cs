using AttributionExplorer.Precompute.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Evaluation;

/// <summary>Model-confidence baseline for label-error detection (cleanlab-style): per pixel, the predicted probability
/// of the annotated class (mean over the models); per image, their soft-minimum Σ pⱼ·softmax((1 − p)/T)ⱼ, which weights
/// the least confident pixels most. Low quality = suspect. Ignored pixels do not count.</summary>
public static class LabelQualityScorer
{
    public const double DefaultTemperature = 0.1;

    public static double[] Score(IReadOnlyList<nn.Module<Tensor, Tensor>> models, ISegmentationSource source, double temperature = DefaultTemperature,
        int batchSize = 16) =>
        Score(models.Select(m => (IModelPredictions)new StreamedPredictions(m, source)).ToList(), source, temperature, batchSize);

    /// <summary>The same from the members' predictions on <paramref name="source"/> (kept or streamed).</summary>
    public static double[] Score(IReadOnlyList<IModelPredictions> members, ISegmentationSource source, double temperature = DefaultTemperature,
        int batchSize = 16)
    {
        if (members.Count == 0) throw new ArgumentException("need at least one model");
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature));
        var quality = new double[source.Count];
        for (int start = 0; start < source.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            int count = Math.Min(batchSize, source.Count - start);
            var mean = EnsemblePredictions.MeanProbabilities(members, start, count);
            var (_, labels) = source.Load(start, count);
            for (int i = 0; i < count; i++) quality[start + i] = SoftMinimum(mean[i..(i + 1)], labels[i..(i + 1)], temperature);
        }
        return quality;
    }

    /// <summary>Soft-minimum of the annotated class's probability over the non-ignored pixels of one example
    /// (probabilities [1,C,H,W], labels [1,H,W]); 1 when every pixel is ignored.</summary>
    public static double SoftMinimum(Tensor probabilities, Tensor labels, double temperature)
    {
        var y = labels.reshape(-1);
        var valid = y.ne(255);
        if (!valid.any().item<bool>()) return 1;
        var p = probabilities[0].reshape(probabilities.shape[1], -1).t()
            .gather(1, torch.where(valid, y, torch.zeros_like(y)).unsqueeze(1)).squeeze(1)
            .masked_select(valid).to(ScalarType.Float64);
        var weights = nn.functional.softmax((1 - p) / temperature, 0);
        return (p * weights).sum().item<double>();
    }
}
