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
        double temperature = LabelQualityScorer.DefaultTemperature)
    {
        var quality = new double[objects.Count];
        foreach (var group in objects.Select((o, i) => (o, i)).GroupBy(p => p.o.ExampleIndex))
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var (image, _) = source.Load(group.Key, 1);
            var models = modelsForExample(group.Key);
            Tensor? sum = null;
            foreach (var model in models)
            {
                var p = nn.functional.softmax(model.forward(image.to(Training.ComputeDevice.Of(model))), 1).cpu();
                sum = sum is null ? p : sum + p;
            }
            var mean = sum! / models.Count;
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
