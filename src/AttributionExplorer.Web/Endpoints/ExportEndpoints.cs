using System.Security.Claims;
using AttributionExplorer.Web.Security;
using AttributionExplorer.Web.Services;

namespace AttributionExplorer.Web.Endpoints;

/// <summary>Curated-subset exports: the training set minus suspected label errors, stored with its rule so it can be rebuilt.</summary>
public static class ExportEndpoints
{
    public static void MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        // The signed-in user is the export's author (a token's user for API calls).
        app.MapPost("/api/datasets/{id:long}/exports", (long id, CreateExportRequest? body, ClaimsPrincipal user, ExportService service) =>
                Create(id, body, user.Identity?.Name ?? "", service))
            .DisableAntiforgery().RequireAuthorization(RolePolicies.Annotator);
        app.MapGet("/api/datasets/{id:long}/exports", (long id, int? offset, int? limit, IExportRepository exports, IDatasetRepository datasets) =>
            datasets.Get(id) is null
                ? Results.NotFound(new { error = $"dataset {id} does not exist" })
                : Results.Ok(exports.List(id, Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 50, 1, 500))));
        app.MapGet("/api/datasets/{datasetId:long}/exports/{id:long}", (long datasetId, long id, HttpContext http, IExportRepository exports) =>
            exports.Get(id) is { } export && export.DatasetId == datasetId
                ? Results.Ok(export)
                : ErrorResponses.NotFound(http, $"export {id} does not exist in dataset {datasetId}"));
        app.MapGet("/api/datasets/{datasetId:long}/exports/{id:long}/download", (long datasetId, long id, string? format, HttpContext http, ExportService service) =>
            Download(datasetId, id, format, service, http));
    }

    public static IResult Create(long datasetId, CreateExportRequest? body, string author, ExportService service)
    {
        var outcome = service.Create(datasetId, body, author);
        if (outcome.Value is not { } created) return Failure(outcome.Error!, outcome.NotFound);
        return Results.Created(AppLinks.Export(datasetId, created.ExportId),
            new { exportId = created.ExportId, imageCount = created.ImageCount, sha256 = created.Sha256 });
    }

    public static IResult Download(long datasetId, long exportId, string? format, ExportService service, HttpContext? http = null)
    {
        var outcome = service.Download(datasetId, exportId, format);
        if (outcome.Value is not { } file)
            return outcome.NotFound && http is not null ? ErrorResponses.NotFound(http, outcome.Error!) : Failure(outcome.Error!, outcome.NotFound);
        return Results.File(file.Content, file.ContentType, file.FileName);
    }

    private static IResult Failure(string error, bool notFound) =>
        notFound ? Results.NotFound(new { error }) : Results.BadRequest(new { error });
}
