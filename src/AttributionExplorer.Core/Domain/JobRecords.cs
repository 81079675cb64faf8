namespace AttributionExplorer.Core.Domain;

public static class JobKinds
{
    /// <summary>TRAK for a pixel region of a stored image (request: <see cref="RegionJobRequest"/>).</summary>
    public const string TrakRegion = "trak_region";
}

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>A unit of on-demand work, queued by the web app and done by `precompute serve`.</summary>
/// <param name="Progress">The share done (0–1) the worker last reported while running; null before it reports.</param>
/// <param name="ProgressNote">What the worker is doing ("scoring checkpoint 3 of 8").</param>
/// <param name="Ahead">While queued: the jobs queued before it (any dataset), which a worker takes first.</param>
public sealed record JobRecord(long Id, long DatasetId, string Kind, string Status, string RequestJson, long? ResultTargetId,
    string? ResultJson, string? Error, string? Worker, DateTime CreatedUtc, DateTime? StartedUtc, DateTime? FinishedUtc,
    double? Progress = null, string? ProgressNote = null, int Ahead = 0);

/// <summary>Attribute a region of image <see cref="ImageId"/>: a mask in image pixels as COCO compressed RLE
/// (<see cref="RleCounts"/> with the image's height and width); <see cref="Label"/> names it for the user.</summary>
public sealed record RegionJobRequest(long ImageId, int Height, int Width, string RleCounts, string? Label = null);
