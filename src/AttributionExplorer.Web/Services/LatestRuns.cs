using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Web.Services;

/// <summary>The newest complete run of each (method, target kind) of one dataset, read once (one query) for everything
/// a page shows, instead of one query per method and kind.</summary>
public sealed class LatestRuns(IEnumerable<AttributionRun> runs)
{
    private readonly Dictionary<(string Method, string Kind), AttributionRun> byKey =
        runs.GroupBy(r => (r.Method, r.TargetKind)).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!);

    public AttributionRun? Of(string method, string targetKind) => byKey.GetValueOrDefault((method, targetKind));
}
