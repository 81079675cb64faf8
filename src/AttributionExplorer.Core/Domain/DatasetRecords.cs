using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Core.Domain;

public static class Splits
{
    public const string Train = "train";
    public const string Val = "val";
    /// <summary>An image a user uploaded for on-demand attribution; not part of training or evaluation.</summary>
    public const string Upload = "upload";
}

/// <summary>An imported dataset. <see cref="ImageRoot"/> is the folder image file names are relative to.</summary>
/// <see cref="Version"/> is a content hash of what was imported; it enters every run's identity.
public sealed record DatasetInfo(long Id, string Name, string ImageRoot, string SourceDescription, DateTime CreatedUtc, string Version = "");

/// <summary>A category with its canonical COCO id and the contiguous model index (1..C; 0 is background).</summary>
public sealed record Category(int CocoId, string Name, string? Supercategory, int ModelIndex);

/// <summary>An image. <see cref="Id"/> is the database id used in URLs; <see cref="CocoId"/> is the id in the source JSON.</summary>
public sealed record ImageRecord(long Id, long DatasetId, long CocoId, string Split, string FileName, int Width, int Height);

/// <summary>An instance annotation; the mask is COCO RLE at the image's original resolution.</summary>
public sealed record AnnotationRecord(long Id, long ImageId, long CocoId, int CategoryCocoId, bool IsCrowd,
    RleMask Mask, double[] Bbox, double Area);

/// <summary>A known label error planted by the demo generator (ground truth for evaluation).</summary>
public sealed record PlantedError(long ImageId, string Kind, string Detail);

public static class PlantedErrorKinds
{
    public const string MissingInstance = "missing_instance";
    public const string ClassConfusion = "class_confusion";
    public const string CorruptedGeometry = "corrupted_geometry";
}
