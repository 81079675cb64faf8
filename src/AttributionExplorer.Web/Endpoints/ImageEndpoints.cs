using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Rendering;
using AttributionExplorer.Web.Services;

namespace AttributionExplorer.Web.Endpoints;

/// <summary>Pixels and mask layers over plain HTTP (never through the SignalR circuit), cacheable by ETag.</summary>
public static class ImageEndpoints
{
    /// <summary>The image when it belongs to the dataset; an image of another dataset is as absent as a missing one.</summary>
    public static ImageRecord? InDataset(IDatasetRepository datasets, long datasetId, long imageId) =>
        datasets.GetImage(imageId) is { } image && image.DatasetId == datasetId ? image : null;

    public static void MapImageEndpoints(this IEndpointRouteBuilder app)
    {
        var images = app.MapGroup("/api/datasets/{datasetId:long}/images/{id:long}");
        images.MapGet("/pixels", (long datasetId, long id, int? size, HttpContext http, IDatasetRepository datasets, AppOptions options) =>
        {
            var image = InDataset(datasets, datasetId, id);
            var dataset = image is null ? null : datasets.Get(datasetId);
            string? path = dataset is null ? null : ImageLocation.Resolve(dataset, image!, PathResolver.Resolve(options.DataRoot));
            if (path is null || !File.Exists(path)) return Results.NotFound();
            int? side = size is > 0 and <= 4096 ? size : null;
            string etag = Etag.For($"px:{id}:{side}:{File.GetLastWriteTimeUtc(path).Ticks}");
            if (Etag.NotModified(http, etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
            return side is null ? Results.File(path, ContentType(path)) : Results.Bytes(ImageFiles.Thumbnail(path, side.Value), "image/png");
        });

        // ?class= keeps one class (model index; 255 = crowd) so each class is its own layer; ?outline=true draws boundaries only.
        images.MapGet("/masks/gt.png", (long datasetId, long id, int? @class, bool? outline, HttpContext http, IDatasetRepository datasets) =>
        {
            var image = InDataset(datasets, datasetId, id);
            if (image is null) return Results.NotFound();
            string etag = Etag.For($"gt:{id}:{image.DatasetId}:{@class}:{outline}");
            if (Etag.NotModified(http, etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
            var indices = datasets.GetCategories(image.DatasetId).ToDictionary(c => c.CocoId, c => c.ModelIndex);
            return Results.Bytes(MaskLayerRenderer.GroundTruth(image.Height, image.Width, datasets.GetAnnotations(id), indices, @class, outline == true), "image/png");
        });

        images.MapGet("/masks/pred.png", (long datasetId, long id, long checkpoint, int? @class, bool? outline, HttpContext http,
            IDatasetRepository datasets, ICheckpointRepository checkpoints) =>
        {
            if (InDataset(datasets, datasetId, id) is null || checkpoints.List(datasetId).All(c => c.Id != checkpoint)) return Results.NotFound();
            string etag = Etag.For($"pred:{id}:{checkpoint}:{@class}:{outline}");
            if (Etag.NotModified(http, etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
            var prediction = checkpoints.GetPrediction(checkpoint, id);
            return prediction is null ? Results.NotFound() : Results.Bytes(MaskLayerRenderer.Prediction(prediction, @class, outline == true), "image/png");
        });

        // The review layers of the lightbox: the ensemble's prediction (every checkpoint that stored one votes) and
        // the pixels where it and the annotation differ, both at model resolution; 404 when no prediction is stored.
        images.MapGet("/masks/ensemble.png", (long datasetId, long id, bool? outline, HttpContext http, IDatasetRepository datasets, ICheckpointRepository checkpoints) =>
        {
            var image = InDataset(datasets, datasetId, id);
            if (image is null) return Results.NotFound();
            string etag = Etag.For($"ens:{id}:{Members(checkpoints, image)}:{outline}");
            if (Etag.NotModified(http, etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
            var ensemble = ReviewLayers.Prediction(checkpoints, image);
            return ensemble is null ? Results.NotFound()
                : Results.Bytes(MaskLayerRenderer.Prediction(new PredictionRecord(0, id, ensemble.Size, ensemble.Size, ensemble.Labels), null, outline == true), "image/png");
        });

        images.MapGet("/masks/disagreement.png", (long datasetId, long id, HttpContext http, IDatasetRepository datasets, ICheckpointRepository checkpoints) =>
        {
            var image = InDataset(datasets, datasetId, id);
            if (image is null) return Results.NotFound();
            string etag = Etag.For($"dis:{id}:{Members(checkpoints, image)}");
            if (Etag.NotModified(http, etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
            if (ReviewLayers.Prediction(checkpoints, image) is not { } ensemble) return Results.NotFound();
            var differs = ReviewLayers.Disagreement(image, datasets.GetAnnotations(id), datasets.GetCategories(datasetId), ensemble);
            return Results.Bytes(MaskLayerRenderer.Disagreement(differs, ensemble.Size, ensemble.Size), "image/png");
        });

        // The selected target marked: ?annotation= one object, ?class= (model index) every object of a class.
        images.MapGet("/masks/focus.png", (long datasetId, long id, long? annotation, int? @class, HttpContext http, IDatasetRepository datasets) =>
        {
            var image = InDataset(datasets, datasetId, id);
            if (image is null) return Results.NotFound();
            string etag = Etag.For($"focus:{id}:{annotation}:{@class}");
            if (Etag.NotModified(http, etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
            var selected = ReviewLayers.Selection(image, datasets.GetAnnotations(id), datasets.GetCategories(datasetId), annotation, @class);
            return selected is null ? Results.NotFound() : Results.Bytes(MaskLayerRenderer.Focus(selected, image.Height, image.Width), "image/png");
        });
    }

    /// <summary>The checkpoints an image's ensemble layers depend on (a new training run changes the ETag).</summary>
    private static string Members(ICheckpointRepository checkpoints, ImageRecord image) =>
        string.Join(",", checkpoints.List(image.DatasetId).Select(c => c.Id));

    private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}

/// <summary>Strong ETags from a content identity; sets Cache-Control and the ETag header, and answers If-None-Match.</summary>
public static class Etag
{
    public static string For(string identity) =>
        "\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("v1:" + identity)))[..20] + "\"";

    public static bool NotModified(HttpContext http, string etag)
    {
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return http.Request.Headers.IfNoneMatch.Any(v => v is not null && (v == etag || v == "*"));
    }
}
