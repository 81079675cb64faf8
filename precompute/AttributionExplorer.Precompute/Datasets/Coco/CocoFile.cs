using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Precompute.Datasets.Coco;

public sealed record CocoImage(long Id, string FileName, int Width, int Height);

public sealed record CocoCategory(int Id, string Name, string? Supercategory);

/// <summary>An annotation with its mask already decoded to RLE at the image's resolution.</summary>
public sealed record CocoAnnotation(long Id, long ImageId, int CategoryId, bool IsCrowd, RleMask Mask);

public sealed record CocoFile(string Path, IReadOnlyList<CocoImage> Images, IReadOnlyList<CocoAnnotation> Annotations, IReadOnlyList<CocoCategory> Categories);
