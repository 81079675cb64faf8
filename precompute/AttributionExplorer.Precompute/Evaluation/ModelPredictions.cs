using AttributionExplorer.Precompute.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Evaluation;

/// <summary>One model's per-pixel class log-probabilities (log-softmax) on a source, read a batch at a time. Log
/// rather than plain probabilities, so a loss keeps its precision where a probability would underflow.</summary>
public interface IModelPredictions
{
    int Count { get; }

    /// <summary>[count, C, S, S] float32 on the CPU, in the caller's dispose scope.</summary>
    Tensor LogProbabilities(int start, int count);
}

/// <summary>Recomputed by a forward pass on every call (eval mode, no gradients).</summary>
public sealed class StreamedPredictions(nn.Module<Tensor, Tensor> model, ISegmentationSource source) : IModelPredictions
{
    public int Count => source.Count;

    public Tensor LogProbabilities(int start, int count)
    {
        using var noGrad = torch.no_grad();
        model.eval();
        var (images, _) = source.Load(start, count);
        return nn.functional.log_softmax(model.forward(images.to(Training.ComputeDevice.Of(model))), 1).cpu();
    }
}

/// <summary>Computed once, batch by batch, and kept: detectors and ensemble halves that read the same model's
/// predictions share one forward pass.</summary>
public sealed class KeptPredictions : IModelPredictions, IDisposable
{
    private readonly Tensor all;

    private KeptPredictions(Tensor all) => this.all = all;

    public static KeptPredictions Compute(IModelPredictions source, int batchSize)
    {
        using var scope = torch.NewDisposeScope();
        var batches = new List<Tensor>();
        for (int start = 0; start < source.Count; start += batchSize)
            batches.Add(source.LogProbabilities(start, Math.Min(batchSize, source.Count - start)));
        return new KeptPredictions(torch.cat(batches, 0).DetachFromDisposeScope());
    }

    public int Count => (int)all.shape[0];
    public long Bytes => all.numel() * all.ElementSize;

    public Tensor LogProbabilities(int start, int count) => all.narrow(0, start, count);

    public void Dispose() => all.Dispose();
}

public static class EnsemblePredictions
{
    /// <summary>Mean over the members of their class probabilities for examples [start, start + count): [count, C, S, S].</summary>
    /// <remarks>Stacked and averaged rather than summed with <c>+</c> and divided by the count: those make a TorchSharp
    /// Scalar per call (the implicit alpha of <c>a + b</c>, the divisor), which its finalizer can free while libtorch
    /// reads it (README, "Known problems"); a demo's object-confidence detector, which calls this once per training
    /// image, died here in <c>add(Tensor, Tensor, Scalar)</c>.</remarks>
    public static Tensor MeanProbabilities(IReadOnlyList<IModelPredictions> members, int start, int count)
    {
        if (members.Count == 0) throw new ArgumentException("need at least one model");
        var probabilities = members.Select(m => m.LogProbabilities(start, count).exp()).ToList();
        return probabilities.Count == 1 ? probabilities[0] : torch.stack(probabilities).mean([0]);
    }
}
