using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>Projected per-example gradients of a set: [n, k] features.</summary>
public static class TrakFeaturizer
{
    /// <summary>Default memory for raw gradients waiting to be projected. The projector regenerates its whole p×k matrix
    /// on every call, which costs far more than the matmul, so gradients are buffered over several gradient batches
    /// and projected together (the projection does not depend on how rows are grouped).</summary>
    public const long DefaultProjectionBufferBytes = 256L << 20;

    public static Tensor Featurize(IPerExampleGradients gradients, IProjector projector, ISegmentationSource source,
        Func<int, ITargetOutput> outputForExample, int batchSize, Action<int>? progress = null,
        long projectionBufferBytes = DefaultProjectionBufferBytes)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "gradient batch size must be ≥ 1");
        if (source.Count == 0) throw new ArgumentException("cannot featurize an empty set of examples");
        long rowsPerProjection = Math.Max(batchSize, projectionBufferBytes / (sizeof(float) * Math.Max(1, gradients.ParameterCount)));
        var blocks = new List<Tensor>();
        var pending = new List<Tensor>();
        long pendingRows = 0;
        for (int start = 0; start < source.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, source.Count - start);
            using (var scope = torch.NewDisposeScope())
            {
                var (images, labels) = source.Load(start, count);
                int offset = start;
                pending.Add(gradients.Compute(images, labels, i => outputForExample(offset + i)).MoveToOuterDisposeScope());
            }
            pendingRows += count;
            if (pendingRows >= rowsPerProjection || start + count >= source.Count)
            {
                blocks.Add(ProjectPending(projector, pending));
                pendingRows = 0;
            }
            progress?.Invoke(start + count);
        }
        var features = torch.cat(blocks, 0);
        foreach (var b in blocks) b.Dispose();
        return features;
    }

    private static Tensor ProjectPending(IProjector projector, List<Tensor> pending)
    {
        using var scope = torch.NewDisposeScope();
        var rows = pending.Count == 1 ? pending[0] : torch.cat(pending, 0);
        var projected = projector.Project(rows).MoveToOuterDisposeScope();
        foreach (var p in pending) p.Dispose();
        pending.Clear();
        return projected;
    }
}
