using AttributionExplorer.Web.Services;

namespace AttributionExplorer.Web.Endpoints;

/// <summary>Addresses from before every URL named its dataset keep working: each redirects (permanently, keeping the
/// method and the query) to its dataset-scoped successor — the image's, job's or export's own dataset, or the first
/// dataset for pages that had none.</summary>
public static class LegacyRedirects
{
    public static void MapLegacyRedirects(this IEndpointRouteBuilder app)
    {
        app.MapGet("/images/{id:long}", (long id, HttpContext http, IDatasetRepository datasets) =>
            datasets.GetImage(id) is { } image ? To(http, AppLinks.Image(image.DatasetId, id, image.Split)) : Results.NotFound());
        app.MapGet("/queue", (HttpContext http, IDatasetRepository datasets) => ToFirst(http, datasets, id => AppLinks.Queue(id)));
        app.MapGet("/evaluation", (HttpContext http, IDatasetRepository datasets) => ToFirst(http, datasets, AppLinks.Evaluation));

        app.MapMethods("/api/images/{id:long}/{**rest}", ["GET", "HEAD", "POST"], (long id, string rest, HttpContext http, IDatasetRepository datasets) =>
            datasets.GetImage(id) is { } image ? To(http, $"{AppLinks.Api(image.DatasetId)}/images/{id}/{rest}") : Results.NotFound())
            .DisableAntiforgery();
        app.MapGet("/api/jobs/{id:long}", (long id, HttpContext http, IJobRepository jobs) =>
            jobs.Get(id) is { } job ? To(http, AppLinks.Job(job.DatasetId, id)) : Results.NotFound());
        app.MapGet("/api/exports/{id:long}/{**rest}", (long id, string? rest, HttpContext http, IExportRepository exports) =>
            exports.Get(id) is { } export
                ? To(http, AppLinks.Export(export.DatasetId, id) + (string.IsNullOrEmpty(rest) ? "" : "/" + rest))
                : Results.NotFound());
    }

    private static IResult ToFirst(HttpContext http, IDatasetRepository datasets, Func<long, string> page) =>
        datasets.List().FirstOrDefault() is { } first ? To(http, page(first.Id)) : Results.Redirect(AppLinks.Datasets);

    /// <summary>308: the client repeats the same method with the same body (a POST stays a POST).</summary>
    private static IResult To(HttpContext http, string path) =>
        Results.Redirect(path + http.Request.QueryString, permanent: true, preserveMethod: true);
}
