using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;

namespace AttributionExplorer.Worker.Plugins.SelfInfluence;

/// <summary>Label-error detector: TRAK self-influence φᵢᵀ(ΦᵀΦ + λI)⁻¹φᵢ (the leverage of an image's loss gradient
/// in the kernel), mean over checkpoints; highest first. An image whose label disagrees with what every other image
/// teaches can only be fitted by its own gradient, so it is its own strongest influencer (TracIn's self-influence).
/// Meaningful only when n ≫ k: with n ≤ k every image nearly interpolates itself.</summary>
public sealed class SelfInfluenceDetector : ITrainImageDetector, IEnsemblePartScorable
{
    public const string Name = "self-influence";

    public RankingMethodInfo Info { get; } = new(Name, "TRAK self-influence",
        "φᵢᵀ(ΦᵀΦ+λI)⁻¹φᵢ, mean over checkpoints; highest first: images only their own gradient can fit, as a wrong label is.",
        RankingScope.TrainImages, Signed: false, [], 12, $"{PluginRegistry.Cli} rank {Name} --dataset NAME");

    public RunRecord Ensure(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var checkpoints = TrainStep.Run(context, dataset, sizes.Model, sizes.Training);
        var parameters = new SelfInfluenceParameters(TrakProjection.Of(sizes.Trak), sizes.Trak.Lambda, checkpoints.Select(c => c.Id).ToArray());
        return context.Runs.Execute(dataset.Id, dataset.Version, parameters, checkpoints.Select(c => c.RunId).Distinct().ToList(), scope =>
        {
            var (_, _, self, reliability, kernels) = TrainKernelDetectors.MeanOverCheckpoints(context, dataset, sizes, TrainKernelDetectors.SelfInfluence);
            var result = TrainRankingTargets.Write(context, dataset.Id, scope.RunId, Name, TrainRankingTargets.TrainImageIds(context, dataset), self);
            context.RankingRuns.RecordReliability(scope.RunId, reliability);
            context.RankingRuns.RecordKernels(scope.RunId, kernels);
            return result;
        }).Run;
    }

    public double[] SuspicionUnder(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes, RunRecord run, IReadOnlyList<CheckpointRecord> checkpoints)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var values = TrakStep.TrainKernels(context, dataset, sizes.Trak, checkpoints).Select(k => TrainKernelDetectors.SelfInfluence(k.Features, k.Scoring)).ToList();
        return Enumerable.Range(0, values[0].Length).Select(i => values.Average(v => v[i])).ToArray();
    }

    private sealed record SelfInfluenceParameters(TrakProjection Projection, double Lambda, long[] CheckpointIds) : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "phi_i^T (Phi^T Phi + lambda I)^-1 phi_i, train loss gradients, mean over checkpoints";
        public string Order => "highest first";
    }
}
