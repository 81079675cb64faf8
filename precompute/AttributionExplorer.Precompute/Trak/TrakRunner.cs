using System.Diagnostics;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>Lifecycle per checkpoint: featurize train (loss gradients) → kernel → featurize targets (output
/// gradients) → score; the result is the mean of the per-checkpoint score matrices.</summary>
public static class TrakRunner
{
    /// <summary>One target output per target example, in the order of <paramref name="targets"/>.</summary>
    public static TrakResult Run(IReadOnlyList<nn.Module<Tensor, Tensor>> checkpoints, ISegmentationSource train,
        ISegmentationSource targets, IReadOnlyList<ITargetOutput> targetOutputs, TrakSettings settings,
        IProgress<TrakProgress>? progress = null, Action<int, Tensor>? scoringMatrixSink = null)
    {
        if (targetOutputs.Count != targets.Count)
            throw new ArgumentException($"{targetOutputs.Count} target outputs for {targets.Count} target examples", nameof(targetOutputs));
        return Run(checkpoints, train, targets, t => targetOutputs[t], settings, progress, scoringMatrixSink);
    }

    /// <param name="scoringMatrixSink">Receives (checkpoint index, (ΦᵀΦ+λI)⁻¹Φᵀ [k,n]) so new targets can be scored
    /// later without the training set; the tensor is disposed after the call returns.</param>
    public static TrakResult Run(IReadOnlyList<nn.Module<Tensor, Tensor>> checkpoints, ISegmentationSource train,
        ISegmentationSource targets, Func<int, ITargetOutput> targetOutputForExample, TrakSettings settings,
        IProgress<TrakProgress>? progress = null, Action<int, Tensor>? scoringMatrixSink = null)
    {
        if (checkpoints.Count == 0) throw new ArgumentException("TRAK needs at least one checkpoint");
        Training.TorchThreads.Configure(settings.Threads);
        var seconds = new Dictionary<string, double> { ["featurize_train"] = 0, ["kernel"] = 0, ["featurize_targets"] = 0, ["score"] = 0 };
        var sum = torch.zeros(targets.Count, train.Count, dtype: ScalarType.Float32);
        // Checkpoint 0's gradient computer is made once, here: its ParameterCount is the projected dimension when the
        // projection is structured (the same for every checkpoint).
        IPerExampleGradients? first = settings.CreateGradients(checkpoints[0]);
        long parameterCount = settings.ProjectionKind == ProjectionKind.Structured && settings.ProjectionDim > 0
            ? first.ParameterCount
            : checkpoints[0].parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        // One projector for all checkpoints (same p, same seed: the same matrix), so a cached matrix is generated once.
        var projector = settings.CreateProjector(parameterCount, settings.ProjectionCacheBytes);
        using var keptMatrix = projector as IDisposable;
        for (int m = 0; m < checkpoints.Count; m++)
        {
            using var scope = torch.NewDisposeScope();
            var gradients = first ?? settings.CreateGradients(checkpoints[m]);
            first = null;
            using var ownedGradients = gradients as IDisposable;
            if (gradients.ParameterCount != parameterCount)
                throw new ArgumentException($"checkpoint {m} has {gradients.ParameterCount} parameters, checkpoint 0 has {parameterCount}");

            var clock = Stopwatch.StartNew();
            int cm = m;
            var phi = TrakFeaturizer.Featurize(gradients, projector, train, _ => TrainLoss.Instance, settings.BatchSize,
                done => progress?.Report(new TrakProgress("featurize_train", cm, done, train.Count)), settings.ProjectionBufferBytes);
            seconds["featurize_train"] += Lap(clock);

            var scoring = TrakScorer.ScoringMatrix(phi, settings.Lambda);
            seconds["kernel"] += Lap(clock);
            scoringMatrixSink?.Invoke(m, scoring);

            var psi = TrakFeaturizer.Featurize(gradients, projector, targets, targetOutputForExample, settings.BatchSize,
                done => progress?.Report(new TrakProgress("featurize_targets", cm, done, targets.Count)), settings.ProjectionBufferBytes);
            seconds["featurize_targets"] += Lap(clock);

            sum.add_(TrakScorer.Score(psi, scoring).cpu());
            seconds["score"] += Lap(clock);
        }
        sum.div_(checkpoints.Count);
        var scores = new float[targets.Count][];
        var flat = sum.data<float>().ToArray();
        for (int t = 0; t < targets.Count; t++) scores[t] = flat.AsSpan(t * train.Count, train.Count).ToArray();
        sum.Dispose();
        return new TrakResult(scores, seconds, parameterCount, RecomputedGradients: 0);
    }

    private static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}
