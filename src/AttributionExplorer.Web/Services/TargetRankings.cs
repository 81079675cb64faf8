using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Plugins;

namespace AttributionExplorer.Web.Services;

/// <summary>One ranked column: a method's top training images for a target, or a message saying why there is none.</summary>
/// <param name="Reliability">The target's split-half reliability (null when its run recorded none).</param>
public sealed record MethodColumn(string Method, string Title, bool Positive, AttributionRun? Run, AttributionTarget? Target,
    IReadOnlyList<Influencer> Items, string? Message, Core.Stability.Reliability? Reliability = null);

public sealed record ColumnAgreement(string A, string B, RankAgreementRecord Figures);

/// <summary>Finds, for one target, each per-target ranking method's newest complete run and its rankings, plus their
/// precomputed agreement. The methods, their titles and their commands come from the plug-in catalog.</summary>
public sealed class TargetRankings(IAttributionRepository attributions, IPluginCatalog catalog, IDatasetRepository datasets, AppOptions options)
{
    /// <summary>The per-target methods in display order.</summary>
    public IReadOnlyList<RankingMethodInfo> Methods() =>
        catalog.RankingMethods().Where(m => m.Scope == RankingScope.PerTarget).OrderBy(m => m.Order).ToList();

    /// <summary>Every target some method has for the image, in the catalog's order of target kinds, one per key. A kind
    /// without a selector names one target per image (the full image); where a run holds several (regions drawn one
    /// after another) the key cannot tell them apart, so they are left out.</summary>
    public IReadOnlyList<AttributionTarget> AvailableTargets(long datasetId, long imageId)
    {
        var methods = Methods();
        var latest = attributions.LatestCompleteRuns(datasetId);
        return catalog.TargetKinds().OrderBy(k => k.Order)
            .SelectMany(kind => methods.Where(m => m.TargetKinds.Contains(kind.Name))
                .Select(m => latest.Of(m.Name, kind.Name))
                .OfType<AttributionRun>()
                .SelectMany(run => attributions.GetTargets(run.Id, imageId) is var targets
                    && (kind.Selector != TargetSelector.None || targets.Count == 1) ? targets : [])
                .DistinctBy(t => TargetKey.Of(t, kind.Selector)))
            .ToList();
    }

    /// <param name="page">1-based page of k ranks per column.</param>
    /// <param name="onlyMethod">Show one method's columns only (null = all).</param>
    public IReadOnlyList<MethodColumn> Columns(long datasetId, long imageId, TargetKey key, int k, int page = 1, string? onlyMethod = null)
    {
        var columns = new List<MethodColumn>();
        int skip = (Math.Max(1, page) - 1) * k;
        string kindTitle = KindTitle(key.Kind);
        var latest = attributions.LatestCompleteRuns(datasetId);
        foreach (var method in Methods().Where(m => onlyMethod is null || m.Name == onlyMethod))
        {
            var run = method.TargetKinds.Contains(key.Kind) ? latest.Of(method.Name, key.Kind) : null;
            var target = run is null ? null : attributions.GetTargets(run.Id, imageId).FirstOrDefault(key.Matches);
            string? message = target is not null ? null : Missing(datasetId, method, key, kindTitle, run);
            if (method.Signed)
            {
                columns.Add(Column(method, $"{method.Title} positive", true, run, target, skip, k, message));
                columns.Add(Column(method, $"{method.Title} negative", false, run, target, skip, k, message));
            }
            else columns.Add(Column(method, method.Title, true, run, target, skip, k, message));
        }
        return columns;
    }

    /// <summary>How many ranks the deepest column of the target holds (its run's top-k per sign); 0 when no method has
    /// the target.</summary>
    public int StoredRanks(long datasetId, long imageId, TargetKey key)
    {
        var latest = attributions.LatestCompleteRuns(datasetId);
        return Methods().Where(m => m.TargetKinds.Contains(key.Kind))
            .Select(m => latest.Of(m.Name, key.Kind))
            .OfType<AttributionRun>()
            .Select(run => attributions.GetTargets(run.Id, imageId).FirstOrDefault(key.Matches))
            .OfType<AttributionTarget>()
            .Select(t => attributions.GetInfluencers(t.Id, true, 0, int.MaxValue).Count)
            .DefaultIfEmpty(0).Max();
    }

    public IReadOnlyList<ColumnAgreement> Agreement(IReadOnlyList<MethodColumn> columns)
    {
        var titles = catalog.RankingMethods().ToDictionary(m => m.Name, m => m.Title);
        var byTarget = columns.Where(c => c.Target is not null && c.Positive)
            .GroupBy(c => c.Target!.Id).ToDictionary(g => g.Key, g => titles.GetValueOrDefault(g.First().Method) ?? g.First().Method);
        return attributions.GetAgreement(byTarget.Keys.ToList())
            .Select(r => new ColumnAgreement(byTarget[r.TargetA], byTarget[r.TargetB], r))
            .OrderBy(a => a.A).ThenBy(a => a.B).ToList();
    }

    private string KindTitle(string kind) =>
        (catalog.TargetKinds().FirstOrDefault(k => k.Name == kind)?.Title ?? kind).ToLowerInvariant();

    private MethodColumn Column(RankingMethodInfo method, string title, bool positive, AttributionRun? run, AttributionTarget? target, int skip, int k, string? message) =>
        new(method.Name, title, positive, run, target, target is null ? [] : attributions.GetInfluencers(target.Id, positive, skip, k), message,
            run is null || target is null ? null : RankingReliability.OfTarget(attributions.GetReliability(run.Id), target));

    private string Missing(long datasetId, RankingMethodInfo method, TargetKey key, string kindTitle, AttributionRun? run)
    {
        if (run is null && MethodPrerequisites.MissingFor(method.Name, options) is { } setup) return setup;
        if (!method.TargetKinds.Contains(key.Kind))
        {
            var kinds = method.TargetKinds.Select(KindTitle).ToList();
            return $"{method.Title} does not rank {kindTitle} targets (only {string.Join(", ", kinds)}): choose one of those to compare it.";
        }
        if (run is null)
            return $"No complete {method.Title} run for {kindTitle} targets yet: run `{CommandText.ForDataset(method.Command, datasets.Get(datasetId)?.Name)}`.";
        return $"Run {run.Id} has no {kindTitle} target for this image.";
    }
}
