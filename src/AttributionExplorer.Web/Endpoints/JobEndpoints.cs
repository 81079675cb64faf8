using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Web.Security;
using AttributionExplorer.Web.Services;

namespace AttributionExplorer.Web.Endpoints;

/// <summary>On-demand attribution over HTTP: the app only queues work in the jobs table; `precompute serve` does it.</summary>
public static class JobEndpoints
{
    /// <summary>A region in image pixels: a box, or a COCO compressed RLE of the image's size.</summary>
    public sealed record RegionRequest(double? X, double? Y, double? Width, double? Height, string? RleCounts, string? Label);

    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/datasets/{datasetId:long}/images/{id:long}/region-jobs", (long datasetId, long id, RegionRequest body,
            IDatasetRepository datasets, IJobRepository jobs) =>
        {
            var image = ImageEndpoints.InDataset(datasets, datasetId, id);
            if (image is null) return Results.NotFound(new { error = $"image {id} does not exist in dataset {datasetId}" });
            if (RegionJobs.Build(image, body, out var request) is { } error) return Results.BadRequest(new { error });
            long jobId = jobs.Enqueue(image.DatasetId, JobKinds.TrakRegion, RegionJobs.Serialize(request!));
            return Results.Accepted(AppLinks.Job(datasetId, jobId), new { jobId, status = JobStatus.Queued });
        }).DisableAntiforgery().RequireAuthorization(RolePolicies.Admin).RequireRateLimiting(RateLimits.Jobs);

        app.MapGet("/api/datasets/{datasetId:long}/jobs/{id:long}", (long datasetId, long id, HttpContext http, IJobRepository jobs) =>
            jobs.Get(id) is { } job && job.DatasetId == datasetId
                ? Results.Ok(new { job.Id, job.DatasetId, job.Kind, job.Status, job.Progress, job.ProgressNote, job.Ahead, job.Error, job.ResultTargetId,
                    job.CreatedUtc, job.StartedUtc, job.FinishedUtc,
                    result = job.ResultJson is null ? (JsonElement?)null : JsonDocument.Parse(job.ResultJson).RootElement })
                : ErrorResponses.NotFound(http, $"job {id} does not exist in dataset {datasetId}"));
    }
}

/// <summary>Turns what a user drew into the worker's region request, with errors that name the field.</summary>
public static class RegionJobs
{
    public static string? Build(ImageRecord image, JobEndpoints.RegionRequest body, out RegionJobRequest? request)
    {
        request = null;
        if (TextLimits.Check("label", body.Label, TextLimits.Label) is { } tooLong) return tooLong;
        string counts;
        if (!string.IsNullOrEmpty(body.RleCounts))
        {
            try
            {
                var mask = new RleMask(image.Height, image.Width, RleCodec.FromCompressedString(body.RleCounts));
                if (RleCodec.Area(mask) == 0) return "rleCounts: the region is empty";
                if (mask.Counts.Sum() != (long)image.Height * image.Width) return $"rleCounts: does not cover {image.Height}×{image.Width} pixels";
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException) { return $"rleCounts: {e.Message}"; }
            counts = body.RleCounts;
        }
        else if (body is { X: { } x, Y: { } y, Width: { } w, Height: { } h })
        {
            if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(w) || !double.IsFinite(h))
                return "x, y, width, height: must be finite numbers";
            int x0 = (int)Math.Floor(Math.Max(0, x)), y0 = (int)Math.Floor(Math.Max(0, y));
            int x1 = (int)Math.Ceiling(Math.Min(image.Width, x + w)), y1 = (int)Math.Ceiling(Math.Min(image.Height, y + h));
            if (w <= 0 || h <= 0 || x1 <= x0 || y1 <= y0) return $"x, y, width, height: the box does not overlap the {image.Width}×{image.Height} image";
            var mask = new bool[image.Height * image.Width];
            for (int r = y0; r < y1; r++) for (int c = x0; c < x1; c++) mask[r * image.Width + c] = true;
            counts = RleCodec.ToCompressedString(RleCodec.Encode(mask, image.Height, image.Width).Counts);
        }
        else return "give either x, y, width and height (a box in image pixels) or rleCounts";
        request = new RegionJobRequest(image.Id, image.Height, image.Width, counts, body.Label);
        return null;
    }

    public static string Serialize(RegionJobRequest request) => JsonSerializer.Serialize(request, new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
