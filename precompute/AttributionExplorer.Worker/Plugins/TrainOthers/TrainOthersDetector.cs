using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.LabelErrors;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;
using AttributionExplorer.Worker.Plugins.SelfInfluence;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Plugins.TrainOthers;

/// <summary>Label-error detector that needs no held-out data: for each training image j, the mean over the other
/// training images i of TRAK's train-on-train score −φᵢᵀ(ΦᵀΦ + λI)⁻¹φⱼ (how much upweighting j moves i's training
/// loss), mean over checkpoints; highest first. A wrong label teaches the opposite of what its look-alikes teach.</summary>
public sealed class TrainOthersDetector : ITrainImageDetector
{
    public const string Name = "train-others";

    public RankingMethodInfo Info { get; } = new(Name, "TRAK effect on the other training images",
        "Mean over the other training images of TRAK's train-on-train score, mean over checkpoints; highest first: images that work against what the rest of the training set teaches.",
        RankingScope.TrainImages, Signed: true, [], 14, $"{PluginRegistry.Cli} rank {Name} --dataset NAME");

    public RunRecord Ensure(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var checkpoints = TrainStep.Run(context, dataset, sizes.Model, sizes.Training);
        var parameters = new TrainOthersParameters(TrakProjection.Of(sizes.Trak), sizes.Trak.Lambda, checkpoints.Select(c => c.Id).ToArray());
        return context.Runs.Execute(dataset.Id, dataset.Version, parameters, checkpoints.Select(c => c.RunId).Distinct().ToList(), scope =>
        {
            var (_, _, effect, reliability, kernels) = TrainKernelDetectors.MeanOverCheckpoints(context, dataset, sizes, EffectOnOthers);
            var result = TrainRankingTargets.Write(context, dataset.Id, scope.RunId, Name, TrainRankingTargets.TrainImageIds(context, dataset), effect);
            context.RankingRuns.RecordReliability(scope.RunId, reliability);
            context.RankingRuns.RecordKernels(scope.RunId, kernels);
            return result;
        }).Run;
    }

    /// <summary>One checkpoint: TRAK's scores of the train set against itself, reduced to the mean effect on the others.</summary>
    public static double[] EffectOnOthers(Tensor features, Tensor scoring)
    {
        using var scope = torch.NewDisposeScope();
        var scores = TrakScorer.Score(features, scoring).to(ScalarType.Float32).contiguous();
        int n = (int)scores.shape[0];
        var flat = scores.data<float>().ToArray();
        var rows = Enumerable.Range(0, n).Select(i => flat.AsSpan(i * n, n).ToArray()).ToList();
        return InfluenceAggregation.MeanEffectOnOthers(rows);
    }

    private sealed record TrainOthersParameters(TrakProjection Projection, double Lambda, long[] CheckpointIds) : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "mean over i != j of -phi_i^T (Phi^T Phi + lambda I)^-1 phi_j, mean over checkpoints";
        public string Order => "highest first";
    }
}
