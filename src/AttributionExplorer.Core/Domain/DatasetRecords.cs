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
    /// <summary>The mask covers only part of its object.</summary>
    public const string UnderSegmented = "under_segmented";
    /// <summary>The mask spills over its object onto the background around it.</summary>
    public const string OverSegmented = "over_segmented";
    /// <summary>One instance carries a wrong class (not the dataset's systematic confusion).</summary>
    public const string WrongClass = "wrong_class";
    /// <summary>An annotation on empty background, where no object is drawn.</summary>
    public const string BackgroundAnnotation = "background_annotation";

    /// <summary>What the demo plants when no planting seed is set (its historical output).</summary>
    public static readonly IReadOnlyList<string> Original = [MissingInstance, ClassConfusion, CorruptedGeometry];

    /// <summary>Every kind the demo generator can plant.</summary>
    public static readonly IReadOnlyList<string> All =
        [MissingInstance, ClassConfusion, CorruptedGeometry, UnderSegmented, OverSegmented, WrongClass, BackgroundAnnotation];
}
