using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Web.Services;
using Microsoft.AspNetCore.WebUtilities;

namespace AttributionExplorer.Web.Endpoints;

/// <summary>Addresses from before every URL named its dataset, and image pages addressed by database row id, keep
/// working: each redirects (permanently, keeping the method and the query) to its successor — the image's page by COCO
/// id in its own dataset (an object target's annotation id becomes its COCO id too), the job's or export's own
/// dataset, or the first dataset for pages that had none. Anything that does not exist is a 404.</summary>
public static class LegacyRedirects
{
    public static void MapLegacyRedirects(this IEndpointRouteBuilder app)
    {
        app.MapGet("/images/{id:long}", (long id, HttpContext http, IDatasetRepository datasets, IPluginCatalog catalog) =>
            datasets.GetImage(id) is { } image ? ToImage(http, image, datasets, catalog) : Results.NotFound());
        foreach (string section in new[] { "held-out", "train" })
            app.MapGet($"/datasets/{{datasetId:long}}/{section}/{{id:long}}", (long datasetId, long id, HttpContext http, IDatasetRepository datasets, IPluginCatalog catalog) =>
                datasets.GetImage(id) is { } image && image.DatasetId == datasetId ? ToImage(http, image, datasets, catalog) : Results.NotFound());
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

    /// <summary>To the image's page by COCO id; a target query naming an annotation by database id names its COCO id.</summary>
    private static IResult ToImage(HttpContext http, ImageRecord image, IDatasetRepository datasets, IPluginCatalog catalog)
    {
        string rest = http.Request.QueryString.Value ?? "";
        var query = QueryHelpers.ParseQuery(rest);
        if (query.TryGetValue("target", out var target) && target.ToString().Split(':') is [var kind, var number]
            && long.TryParse(number, out long annotationId)
            && catalog.TargetKinds().Any(k => k.Name == kind && k.Selector == TargetSelector.Annotation)
            && datasets.GetAnnotations(image.Id).FirstOrDefault(a => a.Id == annotationId) is { } annotation)
        {
            query["target"] = $"{kind}:{annotation.CocoId}";
            rest = "?" + string.Join("&", query.SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "").Replace("%3A", ":")}")));
        }
        return Results.Redirect(AppLinks.Image(image.DatasetId, image.CocoId) + rest, permanent: true, preserveMethod: true);
    }

    private static IResult ToFirst(HttpContext http, IDatasetRepository datasets, Func<long, string> page) =>
        datasets.List().FirstOrDefault() is { } first ? To(http, page(first.Id)) : Results.Redirect(AppLinks.Datasets);

    /// <summary>308: the client repeats the same method with the same body (a POST stays a POST).</summary>
    private static IResult To(HttpContext http, string path) =>
        Results.Redirect(path + http.Request.QueryString, permanent: true, preserveMethod: true);
}
