using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>Projected per-example gradients of a set: [n, k] features.</summary>
public static class TrakFeaturizer
{
    public static Tensor Featurize(PerExampleGradientComputer gradients, IProjector projector, ISegmentationSource source,
        Func<int, ITargetOutput> outputForExample, int batchSize, Action<int>? progress = null)
    {
        var blocks = new List<Tensor>();
        for (int start = 0; start < source.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            int count = Math.Min(batchSize, source.Count - start);
            var (images, labels) = source.Load(start, count);
            int offset = start;
            var g = gradients.Compute(images, labels, i => outputForExample(offset + i));
            blocks.Add(projector.Project(g).MoveToOuterDisposeScope());
            progress?.Invoke(start + count);
        }
        var features = torch.cat(blocks, 0);
        foreach (var b in blocks) b.Dispose();
        return features;
    }
}
