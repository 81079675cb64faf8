using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Web.Services;

/// <summary>What is attributed on a held-out image: the full image, one class (COCO id) or one annotation.</summary>
public sealed record TargetKey(string Kind, int? CategoryCocoId = null, long? AnnotationId = null)
{
    public static readonly TargetKey FullImage = new(TargetKinds.Image);
    public bool Matches(AttributionTarget t) => t.Kind == Kind && t.CategoryCocoId == CategoryCocoId && t.AnnotationId == AnnotationId;
}

/// <summary>One ranked column: a method's top training images for a target, or a message saying why there is none.</summary>
public sealed record MethodColumn(string Method, string Title, bool Positive, AttributionRun? Run, AttributionTarget? Target,
    IReadOnlyList<Influencer> Items, string? Message);

public sealed record ColumnAgreement(string A, string B, RankAgreementRecord Figures);

/// <summary>Finds, for one target, each method's newest complete run and its rankings, plus their precomputed agreement.</summary>
public sealed class TargetRankings(IAttributionRepository attributions, AppOptions options)
{
    public static readonly IReadOnlyDictionary<string, string> MethodTitles = new Dictionary<string, string>
    {
        [AttributionMethods.Trak] = "TRAK",
        [AttributionMethods.Esvm] = "ESVM (MoCo)",
        [AttributionMethods.MocoCosine] = "MoCo cosine",
        [AttributionMethods.ClipCosine] = "CLIP cosine",
    };

    /// <summary>Targets TRAK has for the image, full image first, then classes, then objects.</summary>
    public IReadOnlyList<AttributionTarget> AvailableTargets(long datasetId, long imageId) =>
        new[] { TargetKinds.Image, TargetKinds.Class, TargetKinds.Object }
            .Select(kind => attributions.GetLatestCompleteRun(datasetId, AttributionMethods.Trak, kind))
            .Where(run => run is not null)
            .SelectMany(run => attributions.GetTargets(run!.Id, imageId))
            .ToList();

    /// <param name="page">1-based page of k ranks per column.</param>
    /// <param name="onlyMethod">Show one method's columns only (null = all).</param>
    public IReadOnlyList<MethodColumn> Columns(long datasetId, long imageId, TargetKey key, int k, int page = 1, string? onlyMethod = null)
    {
        var columns = new List<MethodColumn>();
        int skip = (Math.Max(1, page) - 1) * k;
        foreach (var method in AttributionMethods.All.Where(m => onlyMethod is null || m == onlyMethod))
        {
            string title = MethodTitles[method];
            var run = attributions.GetLatestCompleteRun(datasetId, method, key.Kind);
            var target = run is null ? null : attributions.GetTargets(run.Id, imageId).FirstOrDefault(key.Matches);
            string? message = target is not null ? null : Missing(method, key, run);
            if (method == AttributionMethods.Trak)
            {
                columns.Add(Column(method, $"{title} positive", true, run, target, skip, k, message));
                columns.Add(Column(method, $"{title} negative", false, run, target, skip, k, message));
            }
            else columns.Add(Column(method, title, true, run, target, skip, k, message));
        }
        return columns;
    }

    public IReadOnlyList<ColumnAgreement> Agreement(IReadOnlyList<MethodColumn> columns)
    {
        var byTarget = columns.Where(c => c.Target is not null && c.Positive)
            .GroupBy(c => c.Target!.Id).ToDictionary(g => g.Key, g => MethodTitles[g.First().Method]);
        return attributions.GetAgreement(byTarget.Keys.ToList())
            .Select(r => new ColumnAgreement(byTarget[r.TargetA], byTarget[r.TargetB], r))
            .OrderBy(a => a.A).ThenBy(a => a.B).ToList();
    }

    private MethodColumn Column(string method, string title, bool positive, AttributionRun? run, AttributionTarget? target, int skip, int k, string? message) =>
        new(method, title, positive, run, target, target is null ? [] : attributions.GetInfluencers(target.Id, positive, skip, k), message);

    private string Missing(string method, TargetKey key, AttributionRun? run)
    {
        if (method == AttributionMethods.ClipCosine && run is null && !options.Clip.IsConfigured)
            return "CLIP is not configured. " + ClipOptions.HowToConfigure;
        if (method != AttributionMethods.Trak && key.Kind is TargetKinds.Object or TargetKinds.Region)
            return $"{MethodTitles[method]} ranks whole images by embedding similarity; choose the full image or a class to compare it.";
        if (run is null)
            return method == AttributionMethods.Trak
                ? $"No complete TRAK run for {key.Kind} targets yet: run the precompute (./run-demo.sh or `precompute trak`)."
                : $"No complete {MethodTitles[method]} run for {key.Kind} targets yet: run `precompute similarity` (part of `precompute demo`).";
        return $"Run {run.Id} has no {key.Kind} target for this image.";
    }
}
