using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Stability;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Plugins.SelfInfluence;

/// <summary>What the detectors built on the train kernel share: TRAK's train features and scoring matrix of every
/// checkpoint (TRAK is computed first when it is missing), reduced per checkpoint and averaged over the ensemble.</summary>
public static class TrainKernelDetectors
{
    /// <summary>The per-checkpoint values averaged over the ensemble, with their split-half reliability (the same mean
    /// over each half of the ensemble, by training run) and the kernels they come from (those of TRAK's image run).</summary>
    public static (IReadOnlyList<CheckpointRecord> Checkpoints, long[] FinalizeInputs, double[] Mean, Reliability Reliability, IReadOnlyList<KernelFigures> Kernels)
        MeanOverCheckpoints(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes, Func<Tensor, Tensor, double[]> perCheckpoint)
    {
        var checkpoints = TrainStep.Run(context, dataset, sizes.Model, sizes.Training);
        var trakRuns = TrakStep.Run(context, dataset, sizes.Trak, checkpoints, PluginRegistry.TargetKinds);
        using var scope = torch.NewDisposeScope();
        var values = TrakStep.TrainKernels(context, dataset, sizes.Trak, checkpoints).Select(k => perCheckpoint(k.Features, k.Scoring)).ToList();
        double[] Mean(IReadOnlyList<CheckpointRecord> ensemble) =>
            Enumerable.Range(0, values[0].Length).Select(i => ensemble.Average(c => values[IndexOf(checkpoints, c)][i])).ToArray();
        var kernels = trakRuns.TryGetValue(TargetKinds.Image, out long imageRun) ? context.RankingRuns.GetKernels(imageRun) : [];
        return (checkpoints, checkpoints.Select(c => c.Id).ToArray(), Mean(checkpoints), SplitHalf.Measure(checkpoints, Mean), kernels);
    }

    private static int IndexOf(IReadOnlyList<CheckpointRecord> checkpoints, CheckpointRecord checkpoint) =>
        checkpoints.Select((c, i) => (c, i)).First(x => x.c.Id == checkpoint.Id).i;

    /// <summary>φᵢᵀ(ΦᵀΦ + λI)⁻¹φᵢ for every training image: the diagonal of Φ · scoring, scoring = (ΦᵀΦ + λI)⁻¹Φᵀ.</summary>
    public static double[] SelfInfluence(Tensor features, Tensor scoring)
    {
        using var scope = torch.NewDisposeScope();
        var phi = features.to(ScalarType.Float64);
        return (phi * scoring.to(ScalarType.Float64).t()).sum(1).data<double>().ToArray();
    }
}
