using AttributionExplorer.Core.Runs;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Plugins;

/// <summary>A train-image detector that scores with held-out targets and can recompute its order from some of the
/// held-out images only. An evaluation that measures on held-out images (curation) selects with one half of them and
/// measures on the other; a detector that uses held-out targets without this cannot be evaluated that way.</summary>
public interface IHeldOutRestrictable
{
    /// <summary>Every train image id of <paramref name="run"/> (a complete run of this detector), most suspect first,
    /// as the run would rank them had it seen only the held-out images <paramref name="heldOutImageIds"/>.</summary>
    IReadOnlyList<long> MostSuspectFirst(PipelineContext context, RunRecord run, IReadOnlySet<long> heldOutImageIds);
}

/// <summary>Whether a run was computed from held-out targets: a ranking of held-out targets (TRAK, similarity) among
/// its inputs, their inputs, and so on (the run ledger's upstream graph).</summary>
public static class HeldOutDependence
{
    /// <summary>The upstream path from <paramref name="runId"/> to such a ranking, or null when there is none.</summary>
    public static IReadOnlyList<long>? PathToHeldOutTargets(PipelineContext context, long runId) =>
        UpstreamSearch.PathTo(runId, id => context.Ledger.Get(id)?.Upstream ?? [],
            id => context.RankingRuns.Get(id) is { } ranking && ranking.TargetKind != TrainRankingTargets.Kind);

    /// <summary>The run's order, most suspect first: the stored one, or, when the run was computed from held-out
    /// targets, recomputed over <paramref name="heldOutImageIds"/> (an error when the detector cannot be).</summary>
    public static IReadOnlyList<long> MostSuspectFirst(PipelineContext context, IRankingMethod detector, RunRecord run, IReadOnlySet<long> heldOutImageIds)
    {
        if (PathToHeldOutTargets(context, run.Id) is not { } path)
            return context.TrainRankings.Page(run.Id, 0, int.MaxValue).Select(o => o.TrainImageId).ToList();
        if (detector is not IHeldOutRestrictable restrictable)
            throw new InvalidOperationException(
                $"'{detector.Info.Name}' scores with held-out targets (runs {string.Join(" ← ", path)}) and cannot recompute its order from some of the held-out images " +
                $"(it does not implement {nameof(IHeldOutRestrictable)})");
        return restrictable.MostSuspectFirst(context, run, heldOutImageIds);
    }
}
