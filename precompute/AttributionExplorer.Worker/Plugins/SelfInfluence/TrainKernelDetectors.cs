using AttributionExplorer.Core.Domain;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Plugins.SelfInfluence;

/// <summary>What the detectors built on the train kernel share: TRAK's train features and scoring matrix of every
/// checkpoint (TRAK is computed first when it is missing), reduced per checkpoint and averaged over the ensemble.</summary>
public static class TrainKernelDetectors
{
    public static (IReadOnlyList<CheckpointRecord> Checkpoints, long[] FinalizeInputs, double[] Mean) MeanOverCheckpoints(PipelineContext context,
        DatasetInfo dataset, PipelineSizes sizes, Func<Tensor, Tensor, double[]> perCheckpoint)
    {
        var checkpoints = TrainStep.Run(context, dataset, sizes.Model, sizes.Training);
        TrakStep.Run(context, dataset, sizes.Trak, checkpoints, PluginRegistry.TargetKinds);
        using var scope = torch.NewDisposeScope();
        double[]? sum = null;
        foreach (var (_, features, scoring) in TrakStep.TrainKernels(context, dataset, sizes.Trak, checkpoints))
        {
            var values = perCheckpoint(features, scoring);
            sum ??= new double[values.Length];
            for (int i = 0; i < values.Length; i++) sum[i] += values[i] / checkpoints.Count;
        }
        return (checkpoints, checkpoints.Select(c => c.Id).ToArray(), sum!);
    }

    /// <summary>φᵢᵀ(ΦᵀΦ + λI)⁻¹φᵢ for every training image: the diagonal of Φ · scoring, scoring = (ΦᵀΦ + λI)⁻¹Φᵀ.</summary>
    public static double[] SelfInfluence(Tensor features, Tensor scoring)
    {
        using var scope = torch.NewDisposeScope();
        var phi = features.to(ScalarType.Float64);
        return (phi * scoring.to(ScalarType.Float64).t()).sum(1).data<double>().ToArray();
    }
}
