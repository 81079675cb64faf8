namespace AttributionExplorer.Core.Masks;

/// <summary>COCO run-length mask: column-major (index = x·h + y), runs alternate 0s and 1s starting with 0s.</summary>
public sealed record RleMask(int Height, int Width, int[] Counts);
