using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.LabelErrors;

/// <summary>One annotation at model resolution: its id, its image (example index), its class index and its pixels.</summary>
public sealed record TrainObject(long AnnotationId, int ExampleIndex, int ClassIndex, bool[] Mask);

/// <summary>Per-object model confidence: the cleanlab soft-minimum of the probability of the annotation's own class
/// over the annotation's own pixels (not the semantic map's winner), mean probability over the given models.</summary>
public static class ObjectConfidence
{
    public static double[] Score(ISegmentationSource source,
        IReadOnlyList<TrainObject> objects, Func<int, IReadOnlyList<nn.Module<Tensor, Tensor>>> modelsForExample,
        double temperature = LabelQualityScorer.DefaultTemperature) =>
        Score(source, objects, e => modelsForExample(e).Select(m => (IModelPredictions)new StreamedPredictions(m, source)).ToList(), temperature);

    /// <summary>The same from the members' predictions on <paramref name="source"/> (kept or streamed).</summary>
    public static double[] Score(ISegmentationSource source, IReadOnlyList<TrainObject> objects,
        Func<int, IReadOnlyList<IModelPredictions>> membersForExample, double temperature = LabelQualityScorer.DefaultTemperature)
    {
        var quality = new double[objects.Count];
        foreach (var group in objects.Select((o, i) => (o, i)).GroupBy(p => p.o.ExampleIndex))
        {
            using var scope = torch.NewDisposeScope();
            var mean = EnsemblePredictions.MeanProbabilities(membersForExample(group.Key), group.Key, 1);
            long size = mean.shape[2];
            foreach (var (o, i) in group)
            {
                var labels = torch.tensor(o.Mask.Select(m => m ? (long)o.ClassIndex : 255L).ToArray(), [1, size, size]);
                quality[i] = LabelQualityScorer.SoftMinimum(mean, labels, temperature);
            }
        }
        return quality;
    }
}
