using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Plugins.Similarity;

public sealed class MocoCosineMethod : IRankingMethod
{
    public RankingMethodInfo Info { get; } = new(AttributionMethods.MocoCosine, "MoCo cosine",
        "Cosine similarity in the self-supervised MoCo embedding: higher = more like the target.",
        RankingScope.PerTarget, Signed: false, [TargetKinds.Image, TargetKinds.Class], 2, $"{PluginRegistry.Cli} rank moco --dataset NAME");

    public string Run(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes) =>
        $"{SimilarityStep.MocoCosine(context, dataset, sizes.Similarity)} targets ranked";
}
