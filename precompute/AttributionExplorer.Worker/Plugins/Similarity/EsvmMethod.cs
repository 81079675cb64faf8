using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Plugins.Similarity;

public sealed class EsvmMethod : IRankingMethod
{
    public RankingMethodInfo Info { get; } = new(AttributionMethods.Esvm, "ESVM (MoCo)",
        "Exemplar-SVM decision value in the self-supervised MoCo embedding: higher = more like the target.",
        RankingScope.PerTarget, Signed: false, [TargetKinds.Image, TargetKinds.Class], 1, $"{PluginRegistry.Cli} rank esvm --dataset NAME");

    public string Run(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes) =>
        $"{SimilarityStep.Esvm(context, dataset, sizes.Similarity)} targets ranked";
}
