using System.Diagnostics;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Embeddings.Moco;

public sealed record MocoProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss);

/// <param name="RecomputedBatches">Always 0: non-finite gradients are errors now (their cause is switched off, see
/// TorchBackends); kept for the stored summaries.</param>
public sealed record MocoResult(MocoEncoder Encoder, double[] EpochLosses, double Seconds, int RecomputedBatches);

/// <summary>MoCo v2 without labels: two augmented views per image, a query encoder trained by SGD and a momentum key
/// encoder (k ← m·k + (1−m)·q), a FIFO queue of past keys as negatives, InfoNCE with temperature τ.</summary>
public static class MocoTrainer
{

    public static MocoResult Train(ISegmentationSource images, MocoSettings settings, IProgress<MocoProgress>? progress = null)
    {
        settings.Validate();
        if (images.Count < 2) throw new ArgumentException("MoCo needs at least two images");
        TorchThreads.Configure(settings.Threads);
        var clock = Stopwatch.StartNew();
        torch.manual_seed(settings.Seed);
        var random = new Random(settings.Seed);
        var query = new MocoEncoder(settings.Width, settings.HiddenDim, settings.EmbeddingDim);
        using var key = new MocoEncoder(settings.Width, settings.HiddenDim, settings.EmbeddingDim);
        key.load_state_dict(query.state_dict());
        foreach (var p in key.parameters()) p.requires_grad = false;
        var queue = nn.functional.normalize(torch.randn(settings.QueueSize, settings.EmbeddingDim), dim: 1);
        long queuePointer = 0;
        var optimizer = torch.optim.SGD(query.parameters(), settings.LearningRate, momentum: 0.9, weight_decay: settings.WeightDecay);
        int batchSize = Math.Min(settings.BatchSize, images.Count);
        int batches = images.Count / batchSize;   // drop the last partial batch: BatchNorm and the queue want full ones
        var order = Enumerable.Range(0, images.Count).ToArray();
        var losses = new double[settings.Epochs];

        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            double lr = settings.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / settings.Epochs));
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            query.train();
            key.train();
            random.Shuffle(order);
            double total = 0;
            for (int b = 0; b < batches; b++)
            {
                using var scope = torch.NewDisposeScope();
                var batch = LoadBatch(images, order.AsSpan(b * batchSize, batchSize));
                var viewQ = MocoAugment.View(batch, random);
                var viewK = MocoAugment.View(batch, random);
                Tensor k;
                using (torch.no_grad()) k = nn.functional.normalize(key.forward(viewK), dim: 1);
                optimizer.zero_grad();
                var q = nn.functional.normalize(query.forward(viewQ), dim: 1);
                var loss = InfoNce.Loss(q, k, queue, settings.Temperature);
                double value = loss.item<float>();
                if (!double.IsFinite(value)) throw new InvalidOperationException($"MoCo diverged (loss {value}) at epoch {epoch + 1}, batch {b + 1}; lower Similarity.LearningRate");
                loss.backward();
                if (!SegmentationTrainer.GradientsAreFinite(query))
                    throw new InvalidOperationException($"MoCo: non-finite gradients at epoch {epoch + 1}, batch {b + 1} (see README, TorchSharp on Debian 12)");
                optimizer.step();
                MomentumUpdate(key, query, settings.Momentum);
                queuePointer = Enqueue(queue, k, queuePointer);
                total += value;
                progress?.Report(new MocoProgress(epoch + 1, settings.Epochs, b + 1, batches, value));
            }
            losses[epoch] = total / batches;
        }
        query.eval();
        queue.Dispose();
        return new MocoResult(query, losses, clock.Elapsed.TotalSeconds, RecomputedBatches: 0);
    }

    /// <summary>key ← m·key + (1−m)·query for every parameter, without gradient.</summary>
    public static void MomentumUpdate(MocoEncoder key, MocoEncoder query, double momentum)
    {
        using var noGrad = torch.no_grad();
        foreach (var (pk, pq) in key.parameters().Zip(query.parameters()))
            pk.mul_(momentum).add_(pq.detach(), alpha: 1 - momentum);
    }

    /// <summary>Writes the keys over the oldest queue rows (wrapping around); returns the next write position.</summary>
    public static long Enqueue(Tensor queue, Tensor keys, long pointer)
    {
        using var scope = torch.NewDisposeScope();
        long size = queue.shape[0], n = Math.Min(keys.shape[0], size);
        var rows = torch.arange(pointer, pointer + n, dtype: ScalarType.Int64).remainder(size);
        queue.index_copy_(0, rows, keys[..(int)n].detach());
        return (pointer + n) % size;
    }

    private static Tensor LoadBatch(ISegmentationSource source, ReadOnlySpan<int> indices)
    {
        var parts = new List<Tensor>(indices.Length);
        foreach (int i in indices) parts.Add(source.Load(i, 1).Images);
        return torch.cat(parts, 0);
    }
}
