using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Web.Services;

namespace AttributionExplorer.Web.Endpoints;

/// <summary>The ranking methods and the label-error queue as JSON, built from the same plug-in catalog as the pages.</summary>
public static class RankingEndpoints
{
    public const int DefaultLimit = 50, MaxLimit = 500;

    /// <param name="SplitHalf">Split-half reliability of the run's ordering of training images (for a per-target method,
    /// its overall influence; per-target figures come with the targets); null when there is none.</param>
    /// <param name="Reliability">The badge text ("stable 0.81", "noisy 0.12", "no split-half", "not measured").</param>
    /// <param name="ReliabilityDetail">How the halves were formed, or why there is no figure.</param>
    /// <param name="RegimeWarnings">What is degenerate about the run's TRAK kernels, with the figures; empty when sound.</param>
    public sealed record MethodRun(string TargetKind, long RunId, DateTime? FinishedUtc, double? SplitHalf, string Reliability,
        string? ReliabilityDetail, IReadOnlyList<string> RegimeWarnings);

    public sealed record MethodEntry(string Name, string Title, string Description, string Scope, bool Signed,
        IReadOnlyList<string> TargetKinds, int Order, string Command, IReadOnlyList<MethodRun> CompleteRuns, bool QueueDefault, string? Evidence);

    /// <param name="TrainImageId">The database id the /api image routes take; pages and exports use <paramref name="CocoImageId"/>.</param>
    /// <param name="State">The image's review state: "unflagged" or its flag ("suspected" = open, "confirmed", "ok" = not an error, "fixed").</param>
    /// <param name="FlaggedBy">Who set the flag, and when (<paramref name="FlaggedUtc"/>); null when unflagged.</param>
    public sealed record QueueItem(long TrainImageId, long CocoImageId, long? AnnotationId, long? CocoAnnotationId, int Rank, float Score,
        string State, string? FlaggedBy, DateTime? FlaggedUtc);

    /// <param name="IsDefault">Whether <paramref name="Method"/> is the registry's default queue order.</param>
    /// <param name="SplitHalf">Split-half reliability of the queue's order (Spearman between the detector computed from
    /// two disjoint halves of the ensemble); null when there is none.</param>
    /// <param name="Reliability">The badge text ("stable 0.81", "noisy 0.12", "no split-half", "not measured").</param>
    /// <param name="ReliabilityDetail">How the halves were formed, or why there is no figure.</param>
    /// <param name="RegimeWarnings">What is degenerate about the TRAK kernels behind the order, with the figures.</param>
    /// <param name="Total">How many entries the filters let through (all of the run's when there are none).</param>
    /// <param name="UnfilteredTotal">How many entries the run ranks.</param>
    public sealed record QueuePage(string Method, long RunId, int Total, int Offset, IReadOnlyList<QueueItem> Items, bool IsDefault, double? SplitHalf,
        string Reliability, string? ReliabilityDetail, IReadOnlyList<string> RegimeWarnings, int UnfilteredTotal, QueueFilters Filters);

    /// <summary>The filters applied, as given (null = not filtered on).</summary>
    public sealed record QueueFilters(string? State, int? Class, double? MinScore, double? MaxScore);

    public static void MapRankingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/datasets/{datasetId:long}/ranking-methods", (long datasetId, IDatasetRepository datasets, IPluginCatalog catalog,
            IAttributionRepository attributions) => Methods(datasetId, datasets, catalog, attributions));
        app.MapGet("/api/datasets/{datasetId:long}/label-error-queue", (long datasetId, string? method, int? offset, int? limit,
            string? state, int? @class, double? minScore, double? maxScore,
            IDatasetRepository datasets, IAttributionRepository attributions, LabelErrorQueue queue) =>
            Queue(datasetId, method, offset, limit, datasets, attributions, queue, new QueueFilter(state, @class, minScore, maxScore)));
    }

    /// <summary>Every ranking method of the catalog in display order, with the complete runs this dataset has of it
    /// (per target kind for per-target methods; kind "train" for detectors).</summary>
    public static IResult Methods(long datasetId, IDatasetRepository datasets, IPluginCatalog catalog, IAttributionRepository attributions)
    {
        if (datasets.Get(datasetId) is not { } dataset) return DatasetMissing(datasetId);
        var runs = attributions.ListCompleteRuns(datasetId);
        var methods = catalog.RankingMethods().OrderBy(m => m.Order).Select(m => new MethodEntry(m.Name, m.Title, m.Description,
                m.Scope.ToString(), m.Signed, m.TargetKinds, m.Order, CommandText.ForDataset(m.Command, dataset.Name),
                runs.Where(r => r.Method == m.Name).GroupBy(r => r.TargetKind)
                    .Select(g => g.OrderByDescending(r => r.Id).First())
                    .Select(r => RunEntry(r, attributions)).OrderBy(r => r.TargetKind).ToList(), m.QueueDefault, m.Evidence))
            .ToList();
        return Results.Ok(new { datasetId, methods });
    }

    /// <summary>One page of the label-error queue, most suspect first, in the queue page's order, narrowed by the same
    /// filters as the page (review state, class, score range); each item carries its review state.</summary>
    public static IResult Queue(long datasetId, string? method, int? offset, int? limit, IDatasetRepository datasets,
        IAttributionRepository attributions, LabelErrorQueue queue, QueueFilter? filter = null)
    {
        filter ??= QueueFilter.None;
        if (datasets.Get(datasetId) is null) return DatasetMissing(datasetId);
        if (offset is < 0) return Results.Problem(statusCode: 400, title: "Bad offset", detail: $"offset: {offset} is negative; give 0 or more");
        if (limit is < 1 or > MaxLimit)
            return Results.Problem(statusCode: 400, title: "Bad limit", detail: $"limit: {limit} is not between 1 and {MaxLimit}");
        try
        {
            filter.Validate();
        }
        catch (ArgumentException e)
        {
            return Results.Problem(statusCode: 400, title: "Bad filter", detail: e.Message.Replace($" (Parameter '{e.ParamName}')", ""));
        }
        if (filter.CategoryCocoId is { } category && datasets.GetCategories(datasetId) is var categories && categories.All(c => c.CocoId != category))
            return Results.Problem(statusCode: 400, title: "Bad filter",
                detail: $"class: {category} is not a COCO category id of dataset {datasetId}; known: {string.Join(", ", categories.Select(c => c.CocoId))}");
        var detectors = queue.Detectors(datasetId);
        if (queue.Choose(detectors, method) is not { } detector)
            return Results.Problem(statusCode: 404, title: "Unknown method",
                detail: $"method: '{method}' is not a label-error detector; known methods: {string.Join(", ", detectors.Select(d => d.Name))}");
        if (detector.Run is not { } run)
            return Results.Problem(statusCode: 404, title: "Not computed yet",
                detail: $"method '{detector.Name}' has no complete run for dataset {datasetId} yet: run `{detector.Command}`");
        var slice = attributions.GetQueue(run.Id, detector.Objects, filter, offset ?? 0, limit ?? DefaultLimit);
        var items = slice.Items.Select(e => new QueueItem(e.TrainImageId, e.CocoImageId, e.AnnotationId, e.AnnotationCocoId, e.Rank, e.Score,
            e.Flag?.State ?? QueueFilter.Unflagged, e.Flag?.Author, e.Flag?.UpdatedUtc)).ToList();
        int unfiltered = detector.Objects ? attributions.CountObjectSuspicions(run.Id) : attributions.CountOverallInfluence(run.Id);
        var reliability = attributions.GetReliability(run.Id);
        return Results.Ok(new QueuePage(detector.Name, run.Id, slice.Total, offset ?? 0, items, detector.IsDefault,
            reliability?.SplitHalf, RankingReliability.Badge(reliability), reliability?.Detail, RankingReliability.RegimeWarnings(attributions.GetKernels(run.Id)),
            unfiltered, new QueueFilters(filter.State, filter.CategoryCocoId, filter.MinScore, filter.MaxScore)));
    }

    private static MethodRun RunEntry(AttributionExplorer.Core.Domain.AttributionRun run, IAttributionRepository attributions)
    {
        var reliability = attributions.GetReliability(run.Id);
        return new MethodRun(run.TargetKind, run.Id, run.FinishedUtc, reliability?.SplitHalf, RankingReliability.Badge(reliability), reliability?.Detail,
            RankingReliability.RegimeWarnings(attributions.GetKernels(run.Id)));
    }

    private static IResult DatasetMissing(long datasetId) =>
        Results.Problem(statusCode: 404, title: "Unknown dataset", detail: $"dataset {datasetId} does not exist");
}
