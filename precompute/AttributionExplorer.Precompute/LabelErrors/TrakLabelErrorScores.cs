using System.Diagnostics;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.LabelErrors;

/// <summary>A held-out attribution target: which example, what kind (image, class variants, object), the class index
/// it is about (0 for an image target) and its output function.</summary>
public sealed record HeldOutTarget(int ExampleIndex, string Kind, int ClassIndex, long? AnnotationId, ITargetOutput Output);

/// <summary>Per checkpoint: self-influence [n], the train-on-train loss effects [n,n] (S[i][j] = how much upweighting
/// j raises i's training loss) and the held-out target scores [targets, n] (TRAK's sign: positive raises the output).</summary>
public sealed record CheckpointScores(double[] SelfInfluence, float[][] TrainOnTrain, float[][] HeldOut, KernelSpectrum Spectrum);

/// <summary>The TRAK quantities label-error detectors are made of, one checkpoint at a time, composed from the TRAK
/// pieces (featurizer, kernel inverse, scorer) with the same projection for every checkpoint.</summary>
public static class TrakLabelErrorScores
{
    public static IReadOnlyList<CheckpointScores> Compute(IReadOnlyList<nn.Module<Tensor, Tensor>> checkpoints, ISegmentationSource train,
        InMemorySegmentationSource heldOut, IReadOnlyList<HeldOutTarget> targets, TrakSettings settings, Action<string>? log = null)
    {
        Training.TorchThreads.Configure(settings.Threads);
        var targetSource = heldOut.Select(targets.Select(t => t.ExampleIndex).ToArray());
        var result = new List<CheckpointScores>();
        for (int m = 0; m < checkpoints.Count; m++)
        {
            var clock = Stopwatch.StartNew();
            using var scope = torch.NewDisposeScope();
            var gradients = new PerExampleGradientComputer(checkpoints[m]);
            var projector = settings.CreateProjector(gradients.ParameterCount);
            var phi = TrakFeaturizer.Featurize(gradients, projector, train, _ => TrainLoss.Instance, settings.BatchSize,
                projectionBufferBytes: settings.ProjectionBufferBytes);
            var spectrum = KernelSpectrum.Of(phi, settings.Lambda);
            var kernelInverse = KernelInverse.Compute(phi, settings.Lambda);
            var scoring = kernelInverse.matmul(phi.t());
            var self = SelfInfluence(phi, kernelInverse);
            var trainOnTrain = Rows(TrakScorer.Score(phi, scoring));
            var psi = TrakFeaturizer.Featurize(gradients, projector, targetSource, t => targets[t].Output, settings.BatchSize,
                projectionBufferBytes: settings.ProjectionBufferBytes);
            var heldOutScores = Rows(TrakScorer.Score(psi, scoring));
            result.Add(new CheckpointScores(self, trainOnTrain, heldOutScores, spectrum));
            log?.Invoke($"TRAK checkpoint {m + 1}/{checkpoints.Count}: {clock.Elapsed.TotalSeconds:0}s, eig(ΦᵀΦ) ∈ [{spectrum.MinEigenvalue:g3}, {spectrum.MaxEigenvalue:g3}], " +
                        $"ridge {spectrum.Ridge:g3} = {spectrum.RidgeOverMinEigenvalue:g3}× min eig, cond {spectrum.RegularizedCondition:g3}, {spectrum.EigenvaluesBelowRidge}/{spectrum.K} eigenvalues below the ridge");
        }
        return result;
    }

    /// <summary>φᵢᵀ(ΦᵀΦ + λI)⁻¹φᵢ for every row of Φ [n,k] given the kernel inverse [k,k] (TRAK's leverage score).</summary>
    public static double[] SelfInfluence(Tensor phi, Tensor kernelInverse)
    {
        using var scope = torch.NewDisposeScope();
        var f = phi.to(ScalarType.Float64);
        return (f.matmul(kernelInverse.to(ScalarType.Float64)) * f).sum(1).data<double>().ToArray();
    }

    private static float[][] Rows(Tensor matrix)
    {
        var flat = matrix.cpu().contiguous().data<float>().ToArray();
        int rows = (int)matrix.shape[0], cols = (int)matrix.shape[1];
        return Enumerable.Range(0, rows).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
    }
}
