using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Images;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Security;
using AttributionExplorer.Web.Services;
using SkiaSharp;

namespace AttributionExplorer.Web.Endpoints;

/// <summary>Attribute an image that is not in the dataset: the upload is checked, stored as PNG under
/// {DataRoot}/uploads/{dataset}, recorded as an image of split "upload", and a whole-image region job is queued.</summary>
public static class UploadEndpoints
{
    public static void MapUploadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/datasets/{id:long}/uploads", async (long id, IFormFile? file, IDatasetRepository datasets, IJobRepository jobs, AppOptions options) =>
        {
            var limits = options.ImageLimits.Upload;
            if (datasets.Get(id) is null) return Results.NotFound(new { error = $"dataset {id} does not exist" });
            if (file is null) return Results.BadRequest(new { error = "file: send the image as multipart form field 'file'" });
            if (limits.CheckBytes(file.Length) is { } tooLarge)
                return Results.Problem($"file: {tooLarge}", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Image too large");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            var stored = Store(buffer.ToArray(), file.FileName, ImageLocation.UploadsFolder(PathResolver.Resolve(options.DataRoot), id), limits);
            if (stored.Error is not null) return Results.Problem(stored.Error, statusCode: stored.Status, title: "Image refused");
            long imageId = datasets.AddUpload(id, stored.FileName!, stored.Width, stored.Height);
            var image = datasets.GetImage(imageId)!;
            RegionJobs.Build(image, new JobEndpoints.RegionRequest(0, 0, image.Width, image.Height, null, $"upload {file.FileName}"), out var request);
            long jobId = jobs.Enqueue(id, JobKinds.TrakRegion, RegionJobs.Serialize(request!));
            return Results.Accepted(AppLinks.Job(id, jobId), new { imageId, cocoImageId = image.CocoId, page = AppLinks.Image(id, image.CocoId), jobId, status = JobStatus.Queued });
        }).DisableAntiforgery().RequireAuthorization(RolePolicies.Admin).RequireRateLimiting(RateLimits.Uploads);
    }

    /// <summary>Reads the header (PNG or JPEG) and refuses sizes over the limits before decoding — 413 for bytes, 422
    /// for pixels or a non-image — then decodes and writes the image as a new PNG.</summary>
    public static (string? FileName, int Width, int Height, string? Error, int Status) Store(byte[] bytes, string originalName, string folder, ImageLimits limits)
    {
        if (limits.CheckBytes(bytes.Length) is { } tooLarge) return Refused($"file: '{originalName}': {tooLarge}", StatusCodes.Status413PayloadTooLarge);
        var header = ImageHeader.TryRead(bytes, out string? problem);
        if (header is null) return Refused($"file: '{originalName}' is {problem} (PNG or JPEG expected)", StatusCodes.Status422UnprocessableEntity);
        if (limits.Check(header.Width, header.Height) is { } over) return Refused($"file: '{originalName}' is {over}", StatusCodes.Status422UnprocessableEntity);
        using var encoded = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(encoded);
        // The decoder allocates for the size its codec reports, so that size must be the one checked.
        if (codec is null || codec.Info.Width != header.Width || codec.Info.Height != header.Height)
            return Refused($"file: '{originalName}' is not a decodable image (PNG or JPEG expected)", StatusCodes.Status422UnprocessableEntity);
        using var bitmap = SKBitmap.Decode(codec);
        if (bitmap is null) return Refused($"file: '{originalName}' is not a decodable image (PNG or JPEG expected)", StatusCodes.Status422UnprocessableEntity);
        Directory.CreateDirectory(folder);
        string name = $"{Guid.NewGuid():N}.png";
        using (var image = SKImage.FromBitmap(bitmap))
        using (var data = image.Encode(SKEncodedImageFormat.Png, 100))
        using (var stream = File.Create(Path.Combine(folder, name)))
            data.SaveTo(stream);
        return (name, bitmap.Width, bitmap.Height, null, StatusCodes.Status200OK);
    }

    private static (string?, int, int, string?, int) Refused(string error, int status) => (null, 0, 0, error, status);
}
