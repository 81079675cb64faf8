namespace AttributionExplorer.Web.Services;

/// <summary>Every page and API address of the app, scoped by dataset. Pages and tests build links here only.</summary>
public static class AppLinks
{
    public static string Datasets => "/";
    public static string Dataset(long datasetId) => $"/datasets/{datasetId}";
    public static string Gallery(long datasetId, int page = 1) => page > 1 ? $"{Dataset(datasetId)}?page={page}" : Dataset(datasetId);
    /// <summary>An image's page by its COCO id (unique within a dataset; uploads have negative ones): the training-image
    /// page for a training image, the held-out page otherwise. Database row ids never appear in a page address.</summary>
    public static string Image(long datasetId, long cocoImageId) => $"{Dataset(datasetId)}/images/{cocoImageId}";
    public static string Queue(long datasetId, string? method = null) =>
        method is null ? $"{Dataset(datasetId)}/queue" : $"{Dataset(datasetId)}/queue?method={Uri.EscapeDataString(method)}";
    public static string Queue(long datasetId, QueueView view) => $"{Dataset(datasetId)}/queue{view.ToQueryString()}";
    public static string Evaluation(long datasetId) => $"{Dataset(datasetId)}/evaluation";

    /// <summary>The dataset a page address is scoped to ("/datasets/3/queue" → 3), or null.</summary>
    public static long? DatasetOf(string relativePath)
    {
        var parts = relativePath.Split('?', '#')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0] == "datasets" && long.TryParse(parts[1], out long id) ? id : null;
    }

    /// <summary>The same kind of page in another dataset: queue and evaluation map to themselves, everything else
    /// (image ids belong to one dataset) to the gallery.</summary>
    public static string SamePageIn(string relativePath, long datasetId)
    {
        var parts = relativePath.Split('?', '#')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        string section = parts.Length >= 3 && parts[0] == "datasets" ? parts[2] : "";
        return section switch
        {
            "queue" => Queue(datasetId),
            "evaluation" => Evaluation(datasetId),
            _ => Gallery(datasetId),
        };
    }

    public static string Api(long datasetId) => $"/api/datasets/{datasetId}";
    public static string Pixels(long datasetId, long imageId, int size) => $"{Api(datasetId)}/images/{imageId}/pixels?size={size}";
    public static string GroundTruthMask(long datasetId, long imageId) => $"{Api(datasetId)}/images/{imageId}/masks/gt.png";
    public static string PredictedMask(long datasetId, long imageId, long checkpointId) =>
        $"{Api(datasetId)}/images/{imageId}/masks/pred.png?checkpoint={checkpointId}";
    public static string EnsembleMask(long datasetId, long imageId) => $"{Api(datasetId)}/images/{imageId}/masks/ensemble.png";
    public static string DisagreementMask(long datasetId, long imageId) => $"{Api(datasetId)}/images/{imageId}/masks/disagreement.png";
    /// <summary>The layer that marks a selected object (annotation id) or class (model index): rest dimmed, outlined.</summary>
    public static string FocusMask(long datasetId, long imageId, long? annotationId, int? modelIndex) =>
        $"{Api(datasetId)}/images/{imageId}/masks/focus.png?" + (annotationId is { } a ? $"annotation={a}" : $"class={modelIndex}");
    public static string RegionJobs(long datasetId, long imageId) => $"{Api(datasetId)}/images/{imageId}/region-jobs";
    public static string Job(long datasetId, long jobId) => $"{Api(datasetId)}/jobs/{jobId}";
    public static string Export(long datasetId, long exportId) => $"{Api(datasetId)}/exports/{exportId}";
    public static string ExportDownload(long datasetId, long exportId, string format) => $"{Export(datasetId, exportId)}/download?format={format}";
}
