using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;

namespace AttributionExplorer.Worker.Plugins.Trak;

/// <summary>TRAK for every registered target kind, ensembled over the configured training seeds (trained if missing).</summary>
public sealed class TrakMethod : IRankingMethod
{
    public RankingMethodInfo Info { get; } = new(AttributionMethods.Trak, "TRAK",
        "Gradient attribution: a positive score means the training image raises the target's output, a negative one lowers it.",
        RankingScope.PerTarget, Signed: true, [TargetKinds.Image, TargetKinds.Class, TargetKinds.Object, TargetKinds.Region], 0,
        $"{PluginRegistry.Cli} rank trak --dataset NAME");

    public string Run(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var checkpoints = TrainStep.Run(context, dataset, sizes.Model, sizes.Training);
        var runs = TrakStep.Run(context, dataset, sizes.Trak, checkpoints, PluginRegistry.TargetKinds);
        return string.Join(", ", runs.Select(r => $"{r.Key}: run {r.Value}"));
    }
}
