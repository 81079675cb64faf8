using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Services;
using SkiaSharp;

namespace AttributionExplorer.Web.Endpoints;

/// <summary>Attribute an image that is not in the dataset: the upload is checked, stored as PNG under
/// {DataRoot}/uploads/{dataset}, recorded as an image of split "upload", and a whole-image region job is queued.</summary>
public static class UploadEndpoints
{
    public const long MaxBytes = 20L << 20;
    public const int MaxSide = 4096;

    public static void MapUploadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/datasets/{id:long}/uploads", async (long id, IFormFile? file, IDatasetRepository datasets, IJobRepository jobs, AppOptions options) =>
        {
            if (datasets.Get(id) is null) return Results.NotFound(new { error = $"dataset {id} does not exist" });
            if (file is null) return Results.BadRequest(new { error = "file: send the image as multipart form field 'file'" });
            if (file.Length > MaxBytes) return Results.BadRequest(new { error = $"file: {file.Length} bytes is over the {MaxBytes >> 20} MiB limit" });
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            var stored = Store(buffer.ToArray(), file.FileName, ImageLocation.UploadsFolder(PathResolver.Resolve(options.DataRoot), id));
            if (stored.Error is not null) return Results.BadRequest(new { error = stored.Error });
            long imageId = datasets.AddUpload(id, stored.FileName!, stored.Width, stored.Height);
            var image = datasets.GetImage(imageId)!;
            RegionJobs.Build(image, new JobEndpoints.RegionRequest(0, 0, image.Width, image.Height, null, $"upload {file.FileName}"), out var request);
            long jobId = jobs.Enqueue(id, JobKinds.TrakRegion, RegionJobs.Serialize(request!));
            return Results.Accepted(AppLinks.Job(id, jobId), new { imageId, jobId, status = JobStatus.Queued });
        }).DisableAntiforgery();
    }

    /// <summary>Decodes the bytes (PNG, JPEG, WebP, …), checks the size and writes them as a new PNG.</summary>
    public static (string? FileName, int Width, int Height, string? Error) Store(byte[] bytes, string originalName, string folder)
    {
        using var encoded = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(encoded);
        using var bitmap = codec is null ? null : SKBitmap.Decode(codec);
        if (bitmap is null) return (null, 0, 0, $"file: '{originalName}' is not a decodable image (PNG or JPEG expected)");
        if (bitmap.Width > MaxSide || bitmap.Height > MaxSide)
            return (null, 0, 0, $"file: '{originalName}' is {bitmap.Width}×{bitmap.Height}; the limit is {MaxSide} pixels a side");
        Directory.CreateDirectory(folder);
        string name = $"{Guid.NewGuid():N}.png";
        using (var image = SKImage.FromBitmap(bitmap))
        using (var data = image.Encode(SKEncodedImageFormat.Png, 100))
        using (var stream = File.Create(Path.Combine(folder, name)))
            data.SaveTo(stream);
        return (name, bitmap.Width, bitmap.Height, null);
    }
}
