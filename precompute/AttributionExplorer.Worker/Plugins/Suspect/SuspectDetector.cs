using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Stability;
using AttributionExplorer.Core.LabelErrors;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Plugins.Confidence;
using AttributionExplorer.Worker.Plugins.HeldOutObjects;
using AttributionExplorer.Worker.Plugins.SelfInfluence;

namespace AttributionExplorer.Worker.Plugins.Suspect;

/// <summary>The label-error queue's default order: an image flagged strongly by any of model confidence, held-out
/// object influence (worst class) and TRAK self-influence — the largest of its three normalized ranks, ties by their
/// mean. The three see different errors (confidence: wrong geometry, classes, annotations on background; held-out
/// objects: missing instances, under-segmentation; self-influence: both, more stably), so the maximum keeps each one's
/// finds. Chosen by `precompute study label-errors` on planting seeds other than the demo's (docs/science-notes.md).</summary>
public sealed class SuspectDetector : ITrainImageDetector, IHeldOutRestrictable
{
    public const string Name = "suspect";

    public static readonly ITrainImageDetector[] Components = [new ConfidenceRanking(), new HeldOutObjectDetector(), new SelfInfluenceDetector()];

    public RankingMethodInfo Info { get; } = new(Name, "Suspects: confidence ∨ held-out objects ∨ self-influence",
        "The largest of three normalized ranks (model confidence, TRAK influence on held-out objects, TRAK self-influence); highest first: images that any of the three flags strongly.",
        RankingScope.TrainImages, Signed: false, [], 1, $"{PluginRegistry.Cli} rank {Name} --dataset NAME",
        QueueDefault: true,
        Evidence: "Chosen by the label-error study (precompute study label-errors: 600 images, 7 kinds of error, planting seeds 1–3, never the demo's; " +
                  "docs/science-notes.md): the best AP of every detector on each run measured — 0.86 at 5% errors, 0.83 at 10%, 0.88 and 0.88 at 20% — " +
                  "and above confidence alone by +0.22, +0.08, +0.10 and +0.09 AP; the 95% interval excludes zero on 3 of those 4 runs " +
                  "(at 10% it is [−0.01, +0.17])");

    public RunRecord Ensure(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var components = Components.Select(d => d.Ensure(context, dataset, sizes)).ToList();
        var parameters = new SuspectParameters(Components.Select(d => d.Info.Name).ToArray(), components.Select(r => r.Id).ToArray());
        return context.Runs.Execute(dataset.Id, dataset.Version, parameters, parameters.ComponentRunIds, scope =>
        {
            var ids = TrainRankingTargets.TrainImageIds(context, dataset);
            var suspicion = RankCombination.MaxOfRanks(components.Select(r => (IReadOnlyList<double>)TrainRankingTargets.Suspicion(context, r.Id, ids)).ToArray());
            var result = TrainRankingTargets.Write(context, dataset.Id, scope.RunId, Name, ids, suspicion);
            // The combination recomputed from each half of the ensemble: every component under that half, then their ranks.
            var checkpoints = TrainStep.Run(context, dataset, sizes.Model, sizes.Training);
            var reliability = SplitHalf.Measure(checkpoints, half => RankCombination.MaxOfRanks(Components.Zip(components,
                (d, r) => (IReadOnlyList<double>)((IEnsemblePartScorable)d).SuspicionUnder(context, dataset, sizes, r, half)).ToArray()));
            var parts = Components.Zip(components, (d, r) => $"{d.Info.Name} {context.RankingRuns.GetReliability(r.Id)?.Badge ?? "not measured"}");
            context.RankingRuns.RecordReliability(scope.RunId, reliability with { Detail = $"{reliability.Detail}; its components: {string.Join(", ", parts)}" });
            context.RankingRuns.RecordKernels(scope.RunId, components.SelectMany(r => context.RankingRuns.GetKernels(r.Id)).DistinctBy(k => k.CheckpointId).ToList());
            return result;
        }).Run;
    }

    /// <summary>The same combination with each component that scores with held-out targets (held-out objects)
    /// recomputed over the held-out images <paramref name="heldOutImageIds"/> only; the others as stored.</summary>
    public IReadOnlyList<long> MostSuspectFirst(PipelineContext context, RunRecord run, IReadOnlySet<long> heldOutImageIds)
    {
        var parameters = RunParameters.Read<SuspectParameters>(run);
        var ids = TrainRankingTargets.TrainImageIds(context, context.Datasets.Get(run.DatasetId)!);
        var suspicions = Components.Select((detector, c) =>
        {
            var order = HeldOutDependence.MostSuspectFirst(context, detector, context.Ledger.Get(parameters.ComponentRunIds[c])!, heldOutImageIds);
            // As TrainRankingTargets.Suspicion reads a stored ranking: n − rank + 1.
            var rank = order.Select((id, r) => (id, r)).ToDictionary(x => x.id, x => x.r);
            return (IReadOnlyList<double>)ids.Select(id => (double)(ids.Count - rank[id])).ToArray();
        }).ToArray();
        return TrainRankingTargets.MostSuspectFirst(ids, RankCombination.MaxOfRanks(suspicions));
    }

    private sealed record SuspectParameters(string[] Components, long[] ComponentRunIds) : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "max of the components' normalized ranks (ties by their mean)";
        public string Order => "highest first";
    }
}
