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
    /// <remarks>Computed on copies in managed code: as tensor ops it made a TorchSharp Scalar per number argument (255,
    /// 1, T) on every call, once per image, and such a Scalar can be freed by its finalizer while libtorch reads it
    /// (README, "Known problems"); two PostgreSQL demos died here with "Unknown scalar type".</remarks>
    public static double SoftMinimum(Tensor probabilities, Tensor labels, double temperature)
    {
        long classes = probabilities.shape[1], pixels = labels.numel();
        if (probabilities.numel() != classes * pixels)
            throw new ArgumentException($"probabilities {string.Join('×', probabilities.shape)} do not match labels {string.Join('×', labels.shape)}");
        var p = probabilities.detach().cpu().to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var y = labels.cpu().to(ScalarType.Int64).contiguous().data<long>().ToArray();
        var annotated = new List<double>();
        for (long i = 0; i < pixels; i++)
            if (y[i] != 255) annotated.Add(p[y[i] * pixels + i]);
        if (annotated.Count == 0) return 1;
        // softmax((1 − p)/T) shifted by its largest exponent, as torch's softmax does.
        double largest = annotated.Max(a => (1 - a) / temperature), weighted = 0, total = 0;
        foreach (double a in annotated)
        {
            double w = Math.Exp((1 - a) / temperature - largest);
            weighted += a * w;
            total += w;
        }
        return weighted / total;
    }
}
