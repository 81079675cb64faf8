using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Plugins.Similarity;

public sealed class ClipCosineMethod : IRankingMethod
{
    public RankingMethodInfo Info { get; } = new(AttributionMethods.ClipCosine, "CLIP cosine",
        "Cosine similarity in the configured CLIP embedding: higher = more like the target. " + ClipOptions.HowToConfigure,
        RankingScope.PerTarget, Signed: false, [TargetKinds.Image, TargetKinds.Class], 3, $"{PluginRegistry.Cli} rank clip --dataset NAME");

    public string Run(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes) =>
        SimilarityStep.ClipCosine(context, dataset, sizes.Similarity, context.Options.Clip) is var n and >= 0 ? $"{n} targets ranked" : "not configured";
}
